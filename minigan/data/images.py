"""Image datasets as N×C×H×W float32 arrays in [−1, 1], the range of a generator's tanh output.

    digits()                   scikit-learn's bundled 8×8 digits (1,797 images, labels 0–9): no download
    mnist_standin(5000)        those digits drawn as MNIST draws its own (28×28): no download
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


# ------------------------------------------------------------------ a stand-in for MNIST (28×28)
MNIST_MEAN_INK = 0.1307   # MNIST's mean pixel (training set, pixels in [0, 1])
MNIST_BOX, MNIST_SIDE = 20, 28


def mnist_standin(n=5000, seed=0):
    """n digits of 28×28 drawn from scikit-learn's 8×8 ones the way MNIST drew its own, for when MNIST is
    not on the machine: float32 N×1×28×28 in [−1, 1], int64 labels.

    Each image: one of the 1,797 digits (each in turn, then again), upsampled 4× (cubic) to the 32×32
    of the bitmaps they were made from, turned by a random angle in ±10° and stretched by a random
    factor in [0.9, 1.1] (so that the 5,000 are not copies); its ink cropped to its bounding box and
    scaled, aspect kept, to fit MNIST's 20×20 box; placed in 28×28 with its centre of mass at the
    centre (MNIST's rule); then the strokes thinned to MNIST's: a ramp v = clip((u − t) / 0.25, 0, 1)
    with t chosen so that the mean pixel is MNIST's 0.1307 (anti-aliased edges a pixel wide, as
    MNIST's). The same n and seed give the same images."""
    from scipy import ndimage
    from sklearn.datasets import load_digits

    bunch = load_digits()
    rng = np.random.default_rng(seed)
    order = np.concatenate([rng.permutation(len(bunch.images)) for _ in range(-(-n // len(bunch.images)))])[:n]
    images = np.stack([_mnist_box(ndimage, bunch.images[i] / 16.0, rng) for i in order])
    threshold = _ink_threshold(images, MNIST_MEAN_INK)
    pixels = np.clip((images - threshold) / 0.25, 0.0, 1.0)
    return ImageDataset("mnist_standin", to_unit_range(pixels, 1.0)[:, None], bunch.target[order].astype(np.int64),
                        num_classes=10)


def _mnist_box(ndimage, digit, rng):
    """One 8×8 digit (values in [0, 1]) as a 28×28 image: upsampled, turned and stretched at random,
    its ink fitted to the 20×20 box and centred by its centre of mass."""
    big = np.clip(ndimage.zoom(digit, 4, order=3), 0, 1)                        # 32×32
    angle, stretch = np.deg2rad(rng.uniform(-10, 10)), rng.uniform(0.9, 1.1)
    turn = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]]) / [stretch, 1.0]
    centre = (np.array(big.shape) - 1) / 2
    big = ndimage.affine_transform(big, turn, offset=centre - turn @ centre, order=1)
    rows, cols = np.nonzero(big > 0.1)
    ink = big[rows.min():rows.max() + 1, cols.min():cols.max() + 1]
    scale = MNIST_BOX / max(ink.shape)
    box = np.clip(ndimage.zoom(ink, scale, order=1), 0, 1)[:MNIST_BOX, :MNIST_BOX]
    image = np.zeros((MNIST_SIDE, MNIST_SIDE))
    com = np.array(ndimage.center_of_mass(box))
    top, left = (np.round(MNIST_SIDE / 2 - 0.5 - com).astype(int)
                 .clip(0, [MNIST_SIDE - box.shape[0], MNIST_SIDE - box.shape[1]]))
    image[top:top + box.shape[0], left:left + box.shape[1]] = box
    return image


def _ink_threshold(images, mean_ink, width=0.25):
    """t with mean(clip((images − t) / width, 0, 1)) = mean_ink (bisection: the mean falls as t rises)."""
    low, high = -width, 1.0
    for _ in range(40):
        t = (low + high) / 2
        if np.clip((images - t) / width, 0, 1).mean() > mean_ink:
            low = t
        else:
            high = t
    return (low + high) / 2


def write_idx(folder, dataset, train=True):
    """Write `dataset` (images in [−1, 1], N×1×H×W, with labels) as MNIST's two IDX files in `folder`,
    {train,t10k}-images-idx3-ubyte and -labels-idx1-ubyte (pixels rounded to bytes 0–255), which
    `mnist(folder)` and `--data mnist=FOLDER` read."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    images = np.asarray(dataset.images)
    if images.ndim != 4 or images.shape[1] != 1 or dataset.labels is None:
        raise ValueError(f"write_idx writes one-channel images with labels, got images {images.shape} and "
                         f"{'no labels' if dataset.labels is None else 'labels'}")
    pixels = np.round((np.clip(images[:, 0], -1, 1) + 1) * 127.5).astype(np.uint8)
    labels = np.asarray(dataset.labels).astype(np.uint8)
    split = IDX_PREFIX[bool(train)]
    for kind, array in (("images", pixels), ("labels", labels)):
        header = IDX_MAGIC[kind].to_bytes(4, "big") + b"".join(int(d).to_bytes(4, "big") for d in array.shape)
        (folder / f"{split}-{kind}-idx{array.ndim}-ubyte").write_bytes(header + array.tobytes())
    return folder


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
