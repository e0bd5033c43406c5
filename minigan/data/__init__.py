"""Data for the GANs: 2-D mixtures (toy2d), images (images), and the minibatch loader (loader).

    from minigan.data import DataLoader, toy2d, images
    loader = DataLoader(images.digits(), batch_size=64, seed=0)   # yields (images, labels) Tensors
"""
from minigan.data import images, toy2d  # noqa: F401
from minigan.data.images import ImageDataset  # noqa: F401
from minigan.data.loader import ArrayDataset, DataLoader  # noqa: F401
from minigan.data.toy2d import Toy2D  # noqa: F401
