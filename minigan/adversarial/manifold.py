"""[ADV-4] The robust manifold defense (Ilyas et al. 2017; Defense-GAN, Samangouei et al. 2018):
adversarial perturbations leave the data manifold, so move the input back onto it before classifying.

    z* = argmin_z ‖G(z) − x‖²,     ŷ = f(G(z*))

The range of a generator G trained on the data stands in for the manifold. z* is found by gradient
descent from several random starts, keeping the best (`invert`, shared with the interpolation of real
images in minigan.gan.interpolate).

Ranges: G produces images in generator_range (a tanh output, [−1, 1]) and the classifier reads
data_range ([0, 1]). x is mapped affinely into G's range, projected, and mapped back; an affine map
scales ‖G(z) − x‖² by a constant, so z* is the same in either range.
"""
from minigan.adversarial.training import predict
from minigan.autograd import Tensor, no_grad


def project(generator, x, steps=200, restarts=10, lr=0.1, data_range=(0.0, 1.0), generator_range=(-1.0, 1.0)):
    """[ADV-4] G(z*) with z* = argmin_z ‖G(z) − x‖², in data_range, for a batch x (N, ...).

    `steps` descent steps of `lr` from each of `restarts` random z per image, the best one kept."""
    if not (data_range[0] < data_range[1] and generator_range[0] < generator_range[1]):
        raise ValueError(f"data_range and generator_range must be intervals (lo, hi) with lo < hi, "
                         f"got {tuple(data_range)} and {tuple(generator_range)}")
    from minigan.gan.interpolate import invert

    scale = (generator_range[1] - generator_range[0]) / (data_range[1] - data_range[0])
    with no_grad():
        x_g = (x - data_range[0]) * scale + generator_range[0]
    _, projected = invert(generator, x_g, steps=steps, lr=lr, restarts=restarts)  # z* = argmin ‖G(z) − x‖²
    with no_grad():
        back = ((projected.detach() - generator_range[0]) * (1.0 / scale) + data_range[0])
        return back.clip(*data_range)


def manifold_defense(generator, x, classifier, steps=200, restarts=10, lr=0.1, data_range=(0.0, 1.0),
                     generator_range=(-1.0, 1.0)):
    """[ADV-4] ŷ = classifier(G(z*)), z* = argmin_z ‖G(z) − x‖².

    Returns (labels (N,) NumPy ints, the projections G(z*) as a Tensor in data_range)."""
    x = x if isinstance(x, Tensor) else Tensor(x)
    projected = project(generator, x, steps, restarts, lr, data_range, generator_range)
    labels, _ = predict(classifier, projected)  # classify G(z*)
    return labels, projected
