"""Requests sampled together give exactly what each would get alone, and a quitter stops nobody."""

import threading

import torch

from pixelcnn import complete
from pixelcnn.batching import BatchedSampler


def test_simultaneous_requests_are_batched_and_each_gets_its_own_image(tiny_model):
    sampler = BatchedSampler(tiny_model, max_batch=8, window=0.2)
    x = torch.randint(0, 4, (6, 1, 16, 16), generator=torch.Generator().manual_seed(0))
    settings = [(0, 1.0, 11), (4, 0.5, 12), (8, 0.0, 13), (12, 2.0, 14), (15, 1.0, 15), (16, 1.0, 16)]
    results = {}

    def ask(i):
        rows, temp, seed = settings[i]
        steps = list(sampler.stream(x[i : i + 1], rows, temp, seed))
        results[i] = steps[-1].levels if steps else x[i : i + 1]

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(6)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert sampler.requests == 6 and sampler.batches < 6  # some were sampled together
    for i, (rows, temp, seed) in enumerate(settings):
        assert torch.equal(results[i], complete(tiny_model, x[i : i + 1], rows, temp, seed))


def test_a_consumer_that_stops_early_does_not_stop_the_others(tiny_model):
    sampler = BatchedSampler(tiny_model, max_batch=4, window=0.2)
    x = torch.zeros(1, 1, 16, 16, dtype=torch.long)
    full = {}

    def patient():
        full["levels"] = list(sampler.stream(x, 0, 1.0, 5))[-1].levels

    thread = threading.Thread(target=patient)
    thread.start()
    quitter = sampler.stream(x, 0, 1.0, 6)
    next(quitter)
    quitter.close()  # like a closed browser tab
    thread.join()
    assert torch.equal(full["levels"], complete(tiny_model, x, 0, 1.0, 5))
    assert list(sampler.stream(x, 14, 1.0, 7))[-1].row == 15  # and the worker still serves
