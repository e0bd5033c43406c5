"""Adversarial examples (the lecture's last part): attacks, adversarial training, the patch, a GAN defense.

    fgsm, bim, pgd            [ADV-1] x + ε·sign(∇ₓJ(θ, x, y)), and its iterated, projected relatives (fgsm.py)
    adversarial_loss          [ADV-2] α·J(θ, x, y) + (1 − α)·J(θ, FGSM(x), y)                          (training.py)
    train_classifier          Adam on J, or on J̃ with loss=, over minibatches   (minigan/classifier_training.py)
    train_patch, apply_patch  [ADV-3] argmax_p E_{x,t,l} log Pr(ŷ | A(p, x, l, t))                     (patch.py)
    manifold_defense          [ADV-4] classify G(z*), z* = argmin_z ‖G(z) − x‖²                        (manifold.py)
    mlp_classifier, small_cnn the classifiers they are tried on                                         (models.py)

Images are in [0, 1] here (ε = 0.25 is a quarter of the pixel range, as on MNIST in the papers);
`to_unit_interval` maps minigan's [−1, 1] datasets there.
"""
from minigan.adversarial.fgsm import bim, check_attack_inputs, fgsm, loss_gradient, pgd  # noqa: F401
from minigan.adversarial.manifold import manifold_defense, project  # noqa: F401
from minigan.adversarial.models import mlp_classifier, small_cnn  # noqa: F401
from minigan.adversarial.patch import AdversarialPatch, apply_patch, patch_success_rate, train_patch  # noqa: F401
from minigan.adversarial.training import (  # noqa: F401
    accuracy,
    adversarial_loss,
    attack_report,
    classification_data,
    predict,
    to_unit_interval,
)
from minigan.classifier_training import train_classifier  # noqa: F401
