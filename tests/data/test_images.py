"""Image loaders: digits in [−1, 1], written IDX (raw, gzip) and PNG/JPEG files, errors on bad files."""
import gzip

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minigan.data import images

Image = pytest.importorskip("PIL.Image")


def write_idx(path, array, magic=None, gz=False):
    """An IDX file of uint8 `array`: magic 0x0000 08 ndim, the sizes as big-endian int32, the bytes."""
    array = np.asarray(array, dtype=np.uint8)
    magic = (0x0800 | array.ndim) if magic is None else magic
    raw = magic.to_bytes(4, "big") + b"".join(s.to_bytes(4, "big") for s in array.shape) + array.tobytes()
    with (gzip.open if gz else open)(path, "wb") as f:   # closed here: Python 3.12's gzip buffers until close
        f.write(raw)
    return path


def write_mnist(folder, pixels, labels, split="train", gz=False, sep="-"):
    ext = ".gz" if gz else ""
    write_idx(folder / f"{split}-images{sep}idx3-ubyte{ext}", pixels, gz=gz)
    write_idx(folder / f"{split}-labels{sep}idx1-ubyte{ext}", labels, gz=gz)


def test_digits_are_sklearns_images_scaled_to_minus_one_one():
    from sklearn.datasets import load_digits

    data, reference = images.digits(), load_digits()
    assert len(data) == 1797 and data.image_shape == (1, 8, 8) and data.num_classes == 10
    assert data.images.dtype == np.float32 and data.labels.dtype == np.int64 and data.name == "digits"
    np.testing.assert_allclose(data.images[:, 0], reference.images / 16 * 2 - 1, atol=1e-7)
    assert data.images.min() == -1.0 and data.images.max() == 1.0
    np.testing.assert_array_equal(data.labels, reference.target)
    image, label = data[5]
    assert image.shape == (1, 8, 8) and label == reference.target[5]


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(1, 6), st.integers(1, 7), st.integers(1, 7), st.booleans(), st.booleans(), st.integers(0, 999))
def test_idx_files_load_exactly(tmp_path_factory, n, h, w, gz, train, seed):
    folder = tmp_path_factory.mktemp("idx")
    rng = np.random.default_rng(seed)
    pixels, labels = rng.integers(0, 256, (n, h, w)), rng.integers(0, 10, n)
    pixels[0, 0, 0] = 255
    write_mnist(folder, pixels, labels, split="train" if train else "t10k", gz=gz)
    data = images.mnist(folder, train=train)
    assert data.images.shape == (n, 1, h, w) and data.images.dtype == np.float32
    np.testing.assert_allclose(data.images[:, 0], pixels / 255 * 2 - 1, atol=1e-6)
    assert data.images[0, 0, 0, 0] == 1.0
    np.testing.assert_array_equal(data.labels, labels)
    assert data.num_classes == 10 and data.name == "mnist"


def test_fashion_mnist_and_the_dotted_file_names(tmp_path):
    pixels, labels = np.full((3, 28, 28), 51), np.array([0, 9, 4])
    write_mnist(tmp_path, pixels, labels, sep=".")
    data = images.fashion_mnist(tmp_path)
    assert data.name == "fashion_mnist" and data.class_names[9] == "Ankle boot"
    np.testing.assert_allclose(data.images, 51 / 127.5 - 1, atol=1e-6)


def test_missing_idx_files_name_the_folder_and_the_expected_files(tmp_path):
    with pytest.raises(FileNotFoundError, match="no such folder"):
        images.mnist(tmp_path / "nowhere")
    with pytest.raises(FileNotFoundError, match="train-images-idx3-ubyte"):
        images.mnist(tmp_path)
    write_idx(tmp_path / "train-images-idx3-ubyte", np.zeros((2, 4, 4)))
    with pytest.raises(FileNotFoundError, match="train-labels-idx1-ubyte"):
        images.mnist(tmp_path)
    with pytest.raises(FileNotFoundError, match="t10k-images"):
        images.mnist(tmp_path, train=False)


def test_a_wrong_magic_number_is_named(tmp_path):
    write_idx(tmp_path / "train-images-idx3-ubyte", np.zeros(2))  # a labels file under the images name
    write_idx(tmp_path / "train-labels-idx1-ubyte", np.zeros(2))
    with pytest.raises(ValueError, match=r"train-images-idx3-ubyte.*magic number is 0x00000801, expected 0x00000803"):
        images.mnist(tmp_path)


@pytest.mark.parametrize("gz", [False, True])
def test_truncated_files_are_reported(tmp_path, gz):
    write_mnist(tmp_path, np.ones((4, 5, 5)), np.arange(4), gz=gz)
    path = tmp_path / ("train-images-idx3-ubyte" + (".gz" if gz else ""))
    raw = path.read_bytes()
    path.write_bytes(raw[:-20] if gz else raw[:-3])
    with pytest.raises(ValueError, match="train-images-idx3-ubyte.*(truncated|cannot read)"):
        images.mnist(tmp_path)
    path.write_bytes(raw[:10])
    with pytest.raises(ValueError, match="train-images-idx3-ubyte"):
        images.mnist(tmp_path)


def test_truncated_raw_file_says_what_the_header_declared(tmp_path):
    write_mnist(tmp_path, np.ones((4, 5, 5)), np.arange(4))
    path = tmp_path / "train-images-idx3-ubyte"
    path.write_bytes(path.read_bytes()[:-3])
    with pytest.raises(ValueError, match=r"truncated: its header declares 4×5×5 = 100 values, but .* 97 bytes"):
        images.mnist(tmp_path)


def test_images_and_labels_must_agree_in_number(tmp_path):
    write_mnist(tmp_path, np.ones((4, 5, 5)), np.arange(3))
    with pytest.raises(ValueError, match="4 images but .* 3 labels"):
        images.mnist(tmp_path)


def three_stripes(width, height):
    """A width×height RGB image: red left third, green middle third, blue right third."""
    pixels = np.zeros((height, width, 3), np.uint8)
    third = width // 3
    pixels[:, :third, 0] = 255
    pixels[:, third:2 * third, 1] = 255
    pixels[:, 2 * third:, 2] = 255
    return Image.fromarray(pixels)


def test_image_folder_centre_crops_and_resizes(tmp_path):
    (tmp_path / "sub").mkdir()
    three_stripes(30, 10).save(tmp_path / "a.png")  # the centred 10×10 square is the green stripe
    Image.fromarray(np.full((12, 20, 3), (200, 100, 50), np.uint8)).save(tmp_path / "sub" / "b.jpg", quality=100)
    Image.fromarray(np.full((9, 9), 128, np.uint8), mode="L").save(tmp_path / "c.PNG")  # grey → RGB
    (tmp_path / "notes.txt").write_text("not an image")
    data = images.image_folder(tmp_path, size=5)
    assert data.images.shape == (3, 3, 5, 5) and data.images.dtype == np.float32
    assert data.labels is None and data.num_classes is None and data.image_shape == (3, 5, 5)
    green, grey, colour = data.images  # sorted paths: a.png, c.PNG, sub/b.jpg
    np.testing.assert_array_equal(green, np.array([-1.0, 1.0, -1.0], np.float32)[:, None, None] * np.ones((5, 5)))
    np.testing.assert_allclose(grey, 128 / 127.5 - 1, atol=1e-6)
    np.testing.assert_allclose(colour, (np.array([200, 100, 50])[:, None, None] / 127.5 - 1) * np.ones((5, 5)),
                               atol=3 / 127.5)  # JPEG rounding
    assert len(images.image_folder(tmp_path, size=4, max_images=2)) == 2


def test_image_folder_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="no such folder"):
        images.image_folder(tmp_path / "missing")
    with pytest.raises(FileNotFoundError, match="no PNG or JPEG files"):
        images.image_folder(tmp_path)
    (tmp_path / "broken.png").write_bytes(b"\x89PNG not really")
    with pytest.raises(ValueError, match="cannot read the image .*broken.png"):
        images.image_folder(tmp_path)
    with pytest.raises(ValueError, match="size must be a positive integer"):
        images.image_folder(tmp_path, size=0)
