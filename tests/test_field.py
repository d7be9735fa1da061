"""The exact field, layer by layer, against brute force on the shipped configurations; chains and reasons."""

import copy

import numpy as np
import pytest
import torch
from torch.nn import functional as F

import pixelcnn
from pixelcnn import measured
from pixelcnn.field import Fields, Wiring, before, chain, why_not
from pixelcnn.gated import GatedPixelCNN, label_index
from pixelcnn.model import PixelCNN
from pixelcnn.models import WEIGHTS_DIR

SIZE = 16
MODELS = ["pixelcnn", "gated", "leaky"]  # leaky: the plain model with its first mask B, broken on purpose


@pytest.fixture(scope="module", params=MODELS)
def shipped(request):
    return pixelcnn.load_pretrained(request.param)


def narrow_positive(model):
    """The shipped configuration with few channels, every weight positive and every bias (class biases too)
    zero, in float64. On a black image every output is then exactly 0, and raising one pixel makes positive
    exactly the outputs it has a chain of taps to: a ReLU, tanh(a) sigmoid(b) and a sum of positive terms are
    positive as soon as one input is, and nothing negative can cancel them."""
    config = model.config
    small = {"filters": 4} if isinstance(model, PixelCNN) else {"channels": 2}
    network = type(model)(type(config)(**{**config.to_dict(), **small})).double().eval()
    generator = torch.Generator().manual_seed(0)
    with torch.no_grad():
        for name, p in network.named_parameters():
            is_weight = name.endswith("weight") and "class_bias" not in name
            p.copy_(0.1 + 0.4 * torch.rand(p.shape, generator=generator, dtype=p.dtype) if is_weight else 0 * p)
    return network


def layer_outputs(network, x) -> list[torch.Tensor]:
    """The stream the logits read, after each layer: (B, C, H, W) per layer, from the modules themselves."""
    outputs = []
    if isinstance(network, GatedPixelCNN):
        index = label_index(None, x.shape[0], network.config.classes)
        v = h = x
        for layer in network.layers:
            v, h = layer(v, h, index)
            outputs.append(h)
    else:
        h = F.relu(network.first(x))
        outputs.append(h)
        for block in network.blocks:
            h = block(h)
            outputs.append(h)
        for layer in network.head:
            h = F.relu(layer(h))
            outputs.append(h)
    return outputs


@torch.no_grad()
def brute_force(network) -> np.ndarray:
    """(K, N inputs, H, W) bool: output (i, j) after layer k is nonzero when input pixel n alone is 1."""
    x = torch.eye(SIZE * SIZE, dtype=torch.float64).view(SIZE * SIZE, 1, SIZE, SIZE)  # one lit pixel per image
    return np.stack([out.abs().sum(1).numpy() > 0 for out in layer_outputs(network, x)])


def exact(model, stack: str | None = None) -> np.ndarray:
    """(K, N inputs, H, W) bool from pixelcnn.field, in brute_force's layout."""
    fields = Fields(model.wiring(), SIZE)
    table = np.zeros((len(model.wiring().layers), SIZE * SIZE, SIZE, SIZE), dtype=bool)
    for row in range(SIZE):
        for col in range(SIZE):
            for k, layer in enumerate(fields.at(row, col)):
                table[k, :, row, col] = (layer.field if stack is None else layer.stacks[stack]).reshape(-1)
    return table


def test_exact_field_equals_brute_force_at_every_layer_and_pixel(shipped):
    network = narrow_positive(shipped)
    assert len(network.wiring().layers) == len(shipped.wiring().layers)
    np.testing.assert_array_equal(exact(network), brute_force(network))


def test_gated_stacks_equal_brute_force_with_the_other_stack_cut_at_the_entry():
    """A chain enters by the first layer's vertical or horizontal convolution: cut one, the other stack's
    field is what still moves."""
    network = narrow_positive(pixelcnn.load_pretrained("gated"))
    for stack, cut in (("vertical", "horizontal"), ("horizontal", "vertical")):
        ablated = copy.deepcopy(network)
        with torch.no_grad():
            getattr(ablated.layers[0], cut).weight.zero_()
        np.testing.assert_array_equal(exact(network, stack), brute_force(ablated), err_msg=stack)


@pytest.mark.parametrize("name,first_mask", [("pixelcnn", "A"), ("leaky", "B")])
def test_plain_first_layer_is_its_first_mask_footprint(name, first_mask):
    model = pixelcnn.load_pretrained(name)
    k = model.config.first_kernel
    mask = pixelcnn.causal_mask(k, first_mask) > 0
    fields = Fields(model.wiring(), SIZE)
    for row in range(SIZE):
        for col in range(SIZE):
            footprint = np.zeros((SIZE + k, SIZE + k), dtype=bool)  # padded by k // 2 (and more) on every side
            footprint[row : row + k, col : col + k] = mask
            inside = footprint[k // 2 : k // 2 + SIZE, k // 2 : k // 2 + SIZE]
            np.testing.assert_array_equal(fields.at(row, col)[0].field, inside)


@pytest.mark.parametrize("name", MODELS)
def test_last_layer_contains_the_measured_field(name):
    """The measured field the page shows (pixelcnn.gradients: |d logits(p) / d input| over random images, shipped
    beside the weights; tests/test_measured.py checks that it is what torch measures now) lies inside the exact
    field of the last layer, at every pixel."""
    fields = Fields(pixelcnn.load_pretrained(name).wiring(), SIZE)
    seen = measured.read(measured.find(WEIGHTS_DIR / name)).reshape(SIZE, SIZE, SIZE, SIZE) > 0
    assert seen.sum() > 1000  # the measure sees something
    for row in range(SIZE):
        for col in range(SIZE):
            assert not (seen[row, col] & ~fields.at(row, col)[-1].field).any(), (row, col)


def test_no_layer_sees_a_later_pixel_and_only_the_leaky_model_sees_the_pixel_itself(shipped):
    """The honest models never see the pixel they predict; the leaky one (first mask B) sees it from layer 1 on."""
    fields, leaks = Fields(shipped.wiring(), SIZE), shipped.wiring().layers[0][0].mask_name == "B"
    assert leaks == (shipped.config.to_dict().get("first_mask") == "B")
    for row in range(SIZE):
        for col in range(SIZE):
            itself = np.zeros((SIZE, SIZE), bool)
            itself[row, col] = True
            for layer in fields.at(row, col):
                assert not (layer.field & ~before(SIZE, row, col) & ~itself).any(), (row, col, layer.layer)
                assert layer.field[row, col] == leaks, (row, col, layer.layer)


def test_plain_blind_spot_is_not_empty_away_from_the_borders(shipped_model):
    """Away from the borders: two rows up, something is seen farther right than one row up (mask A's
    reach plus one), so the row just above has an unseen pixel under a seen one."""
    reach = shipped_model.config.first_kernel // 2
    fields = Fields(shipped_model.wiring(), SIZE)
    for row in range(2, SIZE):
        for col in range(SIZE - reach - 2):
            last = fields.at(row, col)[-1]
            assert last.blind_spot.any(), (row, col)
            assert not (last.blind_spot & (last.field | ~before(SIZE, row, col))).any()


def test_gated_has_no_blind_spot_and_its_union_covers_every_earlier_pixel_within_reach():
    gated = pixelcnn.load_pretrained("gated")
    config, fields = gated.config, Fields(gated.wiring(), SIZE)
    reach = config.first_kernel // 2 + config.layers * (config.kernel // 2)
    rows, cols = np.meshgrid(np.arange(SIZE), np.arange(SIZE), indexing="ij")
    for row in range(SIZE):
        for col in range(SIZE):
            layers = fields.at(row, col)
            assert not any(layer.blind_spot.any() for layer in layers)
            near = (row - rows <= reach) & (np.abs(cols - col) <= reach) & before(SIZE, row, col)
            np.testing.assert_array_equal(layers[-1].field, near)
            union = layers[-1].stacks["vertical"] | layers[-1].stacks["horizontal"]
            np.testing.assert_array_equal(union, layers[-1].field)
            assert not (layers[-1].stacks["vertical"] & layers[-1].stacks["horizontal"]).any()


PIXELS = [(8, 8), (15, 15), (3, 12)]


def hop_is_a_tap(wiring: Wiring, hop) -> bool:
    """Some connection of the hop's layer, with the hop's mask, has a nonzero tap there leading from its source."""
    for connection in wiring.layers[hop.layer - 1]:
        offset = (hop.tap[0] - connection.anchor[0], hop.tap[1] - connection.anchor[1])
        at = (hop.pixel[0] + offset[0], hop.pixel[1] + offset[1])
        named = (connection.mask_name, connection.source, connection.target) == (hop.mask_name, hop.source, hop.target)
        inside = 0 <= hop.tap[0] < connection.mask.shape[0] and 0 <= hop.tap[1] < connection.mask.shape[1]
        if named and inside and connection.mask[hop.tap] != 0 and at == hop.source_pixel:
            return True
    return False


def test_every_chain_is_valid_and_one_hop_per_layer_and_only_pixels_in_the_field_have_one(shipped):
    wiring, fields = shipped.wiring(), Fields(shipped.wiring(), SIZE)
    for row, col in PIXELS:
        for layer in fields.at(row, col):
            for source in np.ndindex(SIZE, SIZE):
                hops = chain(wiring, SIZE, row, col, layer.layer, source)
                assert (hops is not None) == layer.field[source], (row, col, layer.layer, source)
                if hops is None:
                    continue
                assert len(hops) == layer.layer and [h.layer for h in hops] == list(range(1, layer.layer + 1))
                assert hops[0].source_pixel == source and hops[-1].pixel == (row, col)
                assert hops[-1].target == wiring.output
                for hop, after in zip(hops, hops[1:]):
                    assert hop.pixel == after.source_pixel and hop.target == after.source
                assert all(hop_is_a_tap(wiring, hop) for hop in hops)


def test_a_reason_is_given_only_outside_the_field_and_its_numbers_are_true(shipped):
    wiring, fields = shipped.wiring(), Fields(shipped.wiring(), SIZE)
    first = wiring.layers[0]
    for row, col in PIXELS:
        for layer in fields.at(row, col):
            seen_rows, seen_cols = np.nonzero(layer.field)
            for source in np.ndindex(SIZE, SIZE):
                reason = why_not(wiring, SIZE, row, col, layer.layer, source)
                assert (reason is None) == layer.field[source], (row, col, layer.layer, source)
                if reason is None:
                    continue
                up, right, f = row - source[0], source[1] - col, reason.fields
                in_row = seen_cols[seen_rows == source[0]] - col  # column offsets seen in the source's row
                if reason.key == "why_itself":
                    assert (up, right) == (0, 0) and f["first_mask"] == first[0].mask_name
                elif reason.key == "why_after":
                    assert up < 0 or (up == 0 and right > 0)
                elif reason.key == "why_too_high":
                    assert up > f["reach"] >= (row - seen_rows).max(initial=0)
                    assert source[0] < f["limit"] == row - f["reach"] and f["source_row"] == source[0]
                    assert f["reach"] <= f["first"] + (layer.layer - 1) * f["each"]
                elif reason.key in ("why_too_right", "why_blind_spot"):
                    assert right > f["reach"] >= in_row.max(initial=-SIZE) and f["up"] == up
                    assert source[1] > f["limit"] == col + f["reach"] and f["source_col"] == source[1]
                    assert f["reach"] <= f["first"] + (up - 1) * f["each"] or reason.key == "why_too_right"
                    if reason.key == "why_blind_spot":
                        assert layer.blind_spot[source] and layer.field[: source[0], source[1]].any()
                elif reason.key == "why_too_left":
                    assert -right > f["reach"] >= -in_row.min(initial=SIZE)
                    assert source[1] < f["limit"] == col - f["reach"] and f["source_col"] == source[1]
                else:
                    pytest.fail(f"unexpected reason {reason}")


def test_the_blind_spot_sentence_is_given_for_every_blind_spot_pixel(shipped_model):
    wiring, fields = shipped_model.wiring(), Fields(shipped_model.wiring(), SIZE)
    for row, col in PIXELS:
        last = fields.at(row, col)[-1]
        for source in zip(*np.nonzero(last.blind_spot)):
            assert why_not(wiring, SIZE, row, col, len(wiring.layers), tuple(source)).key == "why_blind_spot"
