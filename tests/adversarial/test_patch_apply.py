"""The adversarial patch's A(p, x, l, t) (ADV-3) against a reference built with np.rot90/np.fliplr, and its gradient."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import minigan
from minigan.adversarial import AdversarialPatch, apply_patch


def reference(images, patch, placements):
    """A(p, x, l, t) one image at a time: flip, rotate by k·90°, resize by nearest neighbour, paste."""
    out = images.copy()
    size = patch.shape[-1]
    for i, image in enumerate(out):
        q = patch[:, :, ::-1] if placements["flip"][i] else patch
        q = np.rot90(q, placements["rotation"][i], axes=(1, 2))
        s = placements["side"][i]
        nearest = np.arange(s) * size // s
        q = q[:, nearest][:, :, nearest]
        r, c = placements["row"][i], placements["col"][i]
        image[:, r:r + s, c:c + s] = q
    return out


@st.composite
def placements(draw):
    n, size = draw(st.integers(1, 5)), draw(st.integers(1, 4))
    height, width = draw(st.integers(size, 9)), draw(st.integers(size, 9))
    sides = [draw(st.integers(1, min(height, width))) for _ in range(n)]
    return size, (height, width), {
        "side": np.array(sides), "rotation": np.array([draw(st.integers(0, 3)) for _ in range(n)]),
        "flip": np.array([draw(st.booleans()) for _ in range(n)]),
        "row": np.array([draw(st.integers(0, height - s)) for s in sides]),
        "col": np.array([draw(st.integers(0, width - s)) for s in sides])}


@given(drawn=placements(), channels=st.integers(1, 3), seed=st.integers(0, 2**16))
def test_apply_patch_matches_the_per_image_reference(drawn, channels, seed):
    size, (height, width), where = drawn
    rng = np.random.default_rng(seed)
    images = rng.uniform(0, 1, (len(where["side"]), channels, height, width))
    patch = rng.uniform(2, 3, (channels, size, size))  # values no image has: every pasted pixel is visible
    out = apply_patch(minigan.tensor(images), minigan.tensor(patch), where).numpy()
    np.testing.assert_array_equal(out, reference(images, patch, where))


@given(drawn=placements(), seed=st.integers(0, 2**16))
def test_the_gradient_reaches_the_patch(drawn, seed):
    size, (height, width), where = drawn
    rng = np.random.default_rng(seed)
    images = minigan.tensor(rng.uniform(0, 1, (len(where["side"]), 2, height, width)))
    patch = minigan.tensor(rng.uniform(0, 1, (2, size, size)), requires_grad=True)
    assert minigan.gradcheck(lambda p: apply_patch(images, p, where), (patch,))


def test_each_placement_is_drawn_independently_and_fits():
    patch = AdversarialPatch(1, 3, scale=(0.5, 1.0))
    drawn = patch.sample_placements(4000, (1, 8, 8))
    assert set(drawn["side"]) == {2, 3} and set(drawn["rotation"]) == {0, 1, 2, 3}
    assert drawn["flip"].mean() == pytest.approx(0.5, abs=0.05)
    assert np.all(drawn["row"] + drawn["side"] <= 8) and np.all(drawn["col"] + drawn["side"] <= 8)
    assert drawn["row"].min() == 0 and np.any(drawn["row"] + drawn["side"] == 8)
    assert patch.coverage((1, 8, 8)) == 9 / 64


def test_a_patch_without_transformations_is_pasted_as_is():
    patch = AdversarialPatch(1, 3, rotate=False, flip=False, scale=(1.0, 1.0))
    images = minigan.zeros(50, 1, 8, 8)
    drawn = patch.sample_placements(50, images.shape)
    out = apply_patch(images, patch.values, drawn).numpy()
    for i in range(50):
        r, c = drawn["row"][i], drawn["col"][i]
        np.testing.assert_array_equal(out[i, :, r:r + 3, c:c + 3], patch.values.numpy())
        assert out[i].sum() == pytest.approx(patch.values.numpy().sum(), rel=1e-6)


def test_bad_shapes_give_a_clear_error():
    with pytest.raises(ValueError, match=r"C = 3 channels"):
        placements = AdversarialPatch(1, 3).sample_placements(2, (8, 8))
        apply_patch(minigan.zeros(2, 3, 8, 8), minigan.zeros(1, 3, 3), placements)
    with pytest.raises(ValueError, match="does not fit"):
        AdversarialPatch(1, 9).sample_placements(2, (1, 8, 8))
