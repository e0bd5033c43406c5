"""The MNIST stand-in: scikit-learn's digits drawn as MNIST's (20×20 box, centre of mass at the centre
of 28×28, MNIST's mean ink), and its IDX files read back by `mnist`."""
import numpy as np
from scipy import ndimage

from minigan.data import images


def test_standin_is_mnist_shaped_centred_and_as_inky_as_mnist():
    from sklearn.datasets import load_digits

    data = images.mnist_standin(60, seed=3)
    assert len(data) == 60 and data.image_shape == (1, 28, 28) and data.num_classes == 10
    assert data.images.dtype == np.float32 and data.labels.dtype == np.int64
    pixels = (data.images[:, 0] + 1) / 2
    assert pixels.min() == 0.0 and pixels.max() == 1.0
    assert abs(pixels.mean() - images.MNIST_MEAN_INK) < 1e-3          # the ramp's threshold is fitted to it
    for image in pixels:
        rows, cols = np.nonzero(image)
        assert np.ptp(rows) < 20 and np.ptp(cols) < 20                      # within MNIST's 20×20 box
        centre = np.array(ndimage.center_of_mass(image))
        assert np.all(np.abs(centre - 13.5) < 1.5)                       # centred by its centre of mass
    # 60 of the 1,797 digits, each once, with their own labels
    assert set(np.unique(data.labels)) <= set(range(10)) and len(np.unique(data.labels)) == 10
    counts = np.bincount(data.labels, minlength=10)
    assert counts.max() < 15, counts
    same = images.mnist_standin(60, seed=3)
    np.testing.assert_array_equal(same.images, data.images)
    assert not np.array_equal(images.mnist_standin(60, seed=4).images, data.images)
    assert np.isin(data.labels, load_digits().target).all()


def test_standin_written_as_idx_files_reads_back_as_mnist(tmp_path):
    data = images.mnist_standin(30)
    images.write_idx(tmp_path, data)
    back = images.mnist(tmp_path)
    assert back.image_shape == (1, 28, 28) and len(back) == 30
    np.testing.assert_array_equal(back.labels, data.labels)
    np.testing.assert_allclose(back.images, data.images, atol=1 / 255 + 1e-6)   # rounded to bytes
