"""Image datasets as N×C×H×W float32 arrays in [−1, 1], the range of a generator's tanh output.

    digits()                   scikit-learn's bundled 8×8 digits (1,797 images, labels 0–9): no download
    mnist(path)                MNIST's IDX files, raw or .gz, from the folder `path`  (N×1×28×28)
    fashion_mnist(path)        the same format for Fashion-MNIST
    image_folder(path, 64)     PNG/JPEG files (CelebA-style faces), centre-cropped and resized (N×3×64×64)

Scaling: a pixel p ∈ [0, P] becomes x = 2p/P − 1 (P = 16 for digits, 255 for 8-bit images).
"""
import gzip
import os
from pathlib import Path

import numpy as np

from minigan.data.loader import ArrayDataset

FASHION_CLASSES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                   "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")
IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg")


class ImageDataset(ArrayDataset):
    """Images (N, C, H, W) in [−1, 1], with int64 labels (N,) when the data has classes.

    ``dataset[i]`` is ``(images[i], labels[i])`` (or ``(images[i],)``); ``.image_shape`` is (C, H, W),
    ``.num_classes`` the number of classes (None without labels), ``.name`` the dataset's name."""

    def __init__(self, name, images, labels=None, num_classes=None, class_names=None):
        super().__init__(*((images,) if labels is None else (images, labels)))
        if self.images.ndim != 4:
            raise ValueError(f"images must be an N×C×H×W array, got shape {self.images.shape}")
        if labels is not None and num_classes is None:
            num_classes = int(self.labels.max()) + 1
        self.name, self.image_shape, self.num_classes = name, tuple(self.images.shape[1:]), num_classes
        self.class_names = class_names

    images = property(lambda self: self.arrays[0])
    labels = property(lambda self: self.arrays[1] if len(self.arrays) > 1 else None)

    def __repr__(self):
        classes = f", {self.num_classes} classes" if self.num_classes else ""
        return f"ImageDataset({self.name!r}, {len(self)} images of {self.image_shape}{classes})"


def to_unit_range(pixels, max_value):
    """x = 2p/P − 1: pixels in [0, P] to float32 in [−1, 1]."""
    return (np.asarray(pixels, dtype=np.float32) * np.float32(2.0 / max_value) - np.float32(1.0))


def digits():
    """scikit-learn's 8×8 digits (1,797 images with 4-bit pixels 0–16): float32 N×1×8×8 in [−1, 1]
    (x = p/16·2 − 1) and int64 labels 0–9."""
    from sklearn.datasets import load_digits

    bunch = load_digits()
    images = to_unit_range(bunch.images, 16.0).reshape(-1, 1, 8, 8)
    return ImageDataset("digits", images, bunch.target.astype(np.int64), num_classes=10)


# ---------------------------------------------------------------------------------- IDX files (MNIST)
IDX_MAGIC = {"images": 0x00000803, "labels": 0x00000801}  # type 0x08 = unsigned byte; 3 or 1 dimensions
IDX_PREFIX = {True: "train", False: "t10k"}


def find_idx_file(folder, split, kind):
    """The path of e.g. train-images-idx3-ubyte(.gz) in `folder` (also the train-images.idx3-ubyte
    spelling of some mirrors); FileNotFoundError listing the names tried."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"no such folder: {str(folder)!r} (expected a folder holding the IDX files "
                                f"{split}-images-idx3-ubyte[.gz] and {split}-labels-idx1-ubyte[.gz])")
    ndim = 3 if kind == "images" else 1
    names = [f"{split}-{kind}{sep}idx{ndim}-ubyte{gz}" for sep in ("-", ".") for gz in ("", ".gz")]
    for name in names:
        if (folder / name).is_file():
            return folder / name
    raise FileNotFoundError(f"no {split} {kind} file in {str(folder)!r}: expected one of {', '.join(names)}")


def read_idx(path, kind):
    """The array in an IDX file (raw or gzip): a big-endian header — magic 0x0000TTDD (TT = 0x08, unsigned
    bytes; DD = the number of dimensions), then DD int32 sizes — followed by the uint8 values."""
    path = Path(path)
    try:
        with (gzip.open(path, "rb") if path.suffix == ".gz" else open(path, "rb")) as f:
            raw = f.read()
    except (EOFError, OSError) as e:
        raise ValueError(f"cannot read {str(path)!r}: {e} (a damaged or truncated file? download it again)") from None
    expected = IDX_MAGIC[kind]
    magic = int.from_bytes(raw[:4], "big") if len(raw) >= 4 else None
    if magic != expected:
        got = "a file shorter than 4 bytes" if magic is None else f"0x{magic:08x}"
        raise ValueError(f"{str(path)!r} is not an IDX {kind} file: its magic number is {got}, expected "
                         f"0x{expected:08x} ({kind} of unsigned bytes, {expected & 0xFF} dimensions)")
    ndim = expected & 0xFF
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise ValueError(f"{str(path)!r} is truncated: {len(raw)} bytes, shorter than its {header}-byte header")
    shape = tuple(int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim))
    size = int(np.prod(shape))
    if len(raw) - header != size:
        state = "truncated" if len(raw) - header < size else "longer than its header says"
        raise ValueError(f"{str(path)!r} is {state}: its header declares {'×'.join(map(str, shape))} = {size} "
                         f"values, but the file holds {len(raw) - header} bytes after the header")
    return np.frombuffer(raw, dtype=np.uint8, offset=header).reshape(shape)


def idx_dataset(name, path, train=True, class_names=None):
    """Images and labels from a folder of IDX files (MNIST's format): N×1×H×W in [−1, 1], int64 labels."""
    split = IDX_PREFIX[bool(train)]
    images_file, labels_file = find_idx_file(path, split, "images"), find_idx_file(path, split, "labels")
    pixels, labels = read_idx(images_file, "images"), read_idx(labels_file, "labels")
    if len(pixels) != len(labels):
        raise ValueError(f"{str(images_file)!r} holds {len(pixels)} images but {str(labels_file)!r} holds "
                         f"{len(labels)} labels; the two files must come from the same release")
    images = to_unit_range(pixels, 255.0)[:, None]
    return ImageDataset(name, images, labels.astype(np.int64), num_classes=10, class_names=class_names)


def mnist(path, train=True):
    """MNIST from the folder `path` holding train-images-idx3-ubyte[.gz] and train-labels-idx1-ubyte[.gz]
    (t10k-… with train=False): float32 N×1×28×28 in [−1, 1] and int64 labels."""
    return idx_dataset("mnist", path, train)


def fashion_mnist(path, train=True):
    """Fashion-MNIST (the same IDX files and names as MNIST; ``.class_names`` holds the 10 articles)."""
    return idx_dataset("fashion_mnist", path, train, class_names=FASHION_CLASSES)


# ------------------------------------------------------------------------------ folders of images
def image_files(folder):
    """The PNG/JPEG files under `folder` (recursively), sorted by path."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"no such folder: {str(folder)!r} (expected a folder of PNG/JPEG images)")
    files = sorted(p for p in folder.rglob("*") if p.suffix.lower() in IMAGE_EXTENSIONS and p.is_file())
    if not files:
        raise FileNotFoundError(f"no PNG or JPEG files ({', '.join(IMAGE_EXTENSIONS)}) in {str(folder)!r}")
    return files


def load_square(path, size):
    """One image as uint8 (size, size, 3): the centred square of side min(W, H), resized with bilinear
    (antialiased) interpolation."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            image = image.convert("RGB")
    except (UnidentifiedImageError, OSError) as e:
        raise ValueError(f"cannot read the image {str(path)!r}: {e}") from None
    width, height = image.size
    side = min(width, height)
    left, top = (width - side) // 2, (height - side) // 2
    square = image.crop((left, top, left + side, top + side)).resize((size, size), Image.BILINEAR)
    return np.asarray(square, dtype=np.uint8)


def image_folder(path, size=64, max_images=None):
    """The PNG/JPEG images under the folder `path` (CelebA-style), each centre-cropped to a square and
    resized to size×size: float32 N×3×size×size in [−1, 1], no labels. `max_images` keeps the first
    ones in path order (CelebA's 202,599 faces at 64×64 would take 10 GB)."""
    try:
        import PIL  # noqa: F401
    except ImportError:
        raise ImportError("image_folder needs Pillow to decode PNG/JPEG files: pip install pillow") from None
    if not isinstance(size, (int, np.integer)) or size < 1:
        raise ValueError(f"size must be a positive integer (the side of the square images), got {size!r}")
    files = image_files(path)[:max_images]
    pixels = np.empty((len(files), size, size, 3), dtype=np.uint8)
    for i, file in enumerate(files):
        pixels[i] = load_square(file, size)
    images = to_unit_range(pixels, 255.0).transpose(0, 3, 1, 2)
    return ImageDataset(os.path.basename(os.path.normpath(str(path))), np.ascontiguousarray(images))
