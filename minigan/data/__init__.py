"""Data for the GANs: 2-D mixtures (toy2d), images (images), and the minibatch loader (loader).

    from minigan.data import DataLoader, toy2d, images
    loader = DataLoader(images.digits(), batch_size=64, seed=0)   # yields (images, labels) Tensors
"""
from minigan.data import images, toy2d  # noqa: F401
from minigan.data.images import ImageDataset  # noqa: F401
from minigan.data.loader import ArrayDataset, DataLoader  # noqa: F401
from minigan.data.toy2d import Toy2D  # noqa: F401


def labelled(data):
    """The dataset as (x, label) pairs, what a conditional model trains on: the images with their
    labels, or a 2-D mixture's points with the index of the mode each was drawn from."""
    if isinstance(data, Toy2D):
        return ArrayDataset(data.arrays[0], data.labels)
    if getattr(data, "labels", None) is None:
        raise ValueError(f"{data!r} has no labels; a conditional model needs labelled data (digits, MNIST, "
                         f"Fashion-MNIST or a 2-D mixture)")
    return data
