"""`tinygrad_hw.utils.data`: datasets, samplers, collate and the DataLoader, checked against
fixed expectations and, where torch is installed, against `torch.utils.data` itself."""

from __future__ import annotations

import collections

import numpy as np
import pytest

import tinygrad_hw as thw
from tinygrad_hw.utils.data import (BatchSampler, ChainDataset, ConcatDataset, DataLoader, Dataset,
                                    IterableDataset, RandomSampler, SequentialSampler, Subset,
                                    SubsetRandomSampler, TensorDataset, WeightedRandomSampler, default_collate,
                                    default_convert, get_worker_info, random_split)

Point = collections.namedtuple("Point", "x y")


def plain(value):
    """Tensors (thw or torch) -> (dtype name, nested lists); containers kept, for comparisons."""
    if hasattr(value, "numpy") and hasattr(value, "dtype"):
        array = value.detach().numpy() if hasattr(value, "detach") else value.numpy()
        return (np.dtype(array.dtype).name, array.tolist())
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value).__name__, [plain(item) for item in value]
    return value


COLLATE_CASES = {  # name: (batch, expected dtype names in order of appearance)
    "python ints": ([1, 2, 3], ["int64"]),
    "python floats are float64 as in torch": ([1.0, 2.5], ["float64"]),
    "bools": ([True, False], ["bool"]),
    "numpy float32 scalars": ([np.float32(1), np.float32(2)], ["float32"]),
    "numpy arrays keep their dtype": ([np.zeros(2, np.float32), np.ones(2, np.float32)], ["float32"]),
    "float64 arrays": ([np.zeros((2, 2)), np.ones((2, 2))], ["float64"]),
    "tuples become lists": ([(1, 2.0), (3, 4.0)], ["int64", "float64"]),
    "dicts field by field, strings stay": ([{"a": 1, "s": "x"}, {"a": 2, "s": "y"}], ["int64"]),
    "nested": ([([1, 2], {"k": np.int32(3)})] * 2, ["int64", "int64", "int32"]),
    "named tuples stay": ([Point(1, 2.0), Point(3, 4.0)], ["int64", "float64"]),
}


def dtypes_in(value):
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], str) and isinstance(value[1], list) \
            and value[0] not in ("list", "tuple", "Point"):
        return [value[0]]
    if isinstance(value, dict):
        return [d for item in value.values() for d in dtypes_in(item)]
    if isinstance(value, tuple):
        return [d for item in value[1] for d in dtypes_in(item)]
    return []


@pytest.mark.parametrize("name", COLLATE_CASES)
def test_default_collate(name):
    batch, dtypes = COLLATE_CASES[name]
    assert dtypes_in(plain(default_collate(batch))) == dtypes


def test_default_collate_values_and_containers():
    assert plain(default_collate([(1, 2.0), (3, 4.0)])) == ("list", [("int64", [1, 3]), ("float64", [2.0, 4.0])])
    assert default_collate(["a", "b"]) == ["a", "b"]
    assert default_collate([{"s": "x"}, {"s": "y"}]) == {"s": ["x", "y"]}
    point = default_collate([Point(1, 2.0), Point(3, 4.0)])
    assert type(point) is Point and point.x.tolist() == [1, 3]
    stacked = default_collate([thw.zeros(2), thw.ones(2)])
    assert stacked.shape == (2, 2) and stacked.dtype == np.float32
    leaf = thw.ones(2, requires_grad=True)
    assert default_collate([leaf, leaf]).requires_grad  # stacked with its history


@pytest.mark.parametrize("name", COLLATE_CASES)
def test_default_collate_matches_torch(torch, name):
    batch, _ = COLLATE_CASES[name]
    ours, theirs = plain(default_collate(batch)), plain(torch.utils.data.default_collate(batch))
    assert ours == theirs


@pytest.mark.parametrize("batch, error, message", [
    ([object()], TypeError, "default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; "
                            "found <class 'object'>"),
    ([[1, 2], [1]], RuntimeError, "each element in list of batch should be of equal size"),
    ([np.zeros(2), np.zeros(3)], RuntimeError, "stack expects each tensor to be equal size"),
    ([np.array(["a"])], TypeError, "default_collate: batch must contain"),
])
def test_default_collate_errors(batch, error, message, torch_or_none):
    with pytest.raises(error, match=message):
        default_collate(batch)
    if torch_or_none is not None:
        with pytest.raises(error, match=message):
            torch_or_none.utils.data.default_collate(batch)


@pytest.fixture
def torch_or_none():
    try:
        import torch
    except ImportError:
        return None
    return torch


def test_default_convert():
    converted = default_convert([np.zeros(2, np.float32), (np.int64(1), "s"), {"k": 2}])
    assert isinstance(converted[0], thw.Tensor) and converted[0].dtype == np.float32
    assert isinstance(converted[1], list) and converted[1][0].dtype == np.int64 and converted[1][1] == "s"
    assert converted[2] == {"k": 2}


def squares():
    return TensorDataset(np.arange(10, dtype=np.float32).reshape(10, 1), np.arange(10) ** 2)


def test_loader_batches_as_pytorch():
    batches = list(DataLoader(squares(), batch_size=4))
    assert [len(x) for x, _ in batches] == [4, 4, 2] and isinstance(batches[0], list)
    assert batches[1][1].tolist() == [16, 25, 36, 49] and batches[0][0].dtype == np.float32
    assert len(DataLoader(squares(), batch_size=4)) == 3 and len(DataLoader(squares(), batch_size=4,
                                                                           drop_last=True)) == 2
    single = list(DataLoader(squares(), batch_size=None))
    assert len(single) == 10 and single[3][1].item() == 9 and single[3][1].shape == ()
    python_items = next(iter(DataLoader([(1, 2.0, "a")] * 3, batch_size=2)))
    assert plain(python_items) == ("list", [("int64", [1, 1]), ("float64", [2.0, 2.0]), ("list", ["a", "a"])])


def test_fast_path_gives_what_item_by_item_collation_gives():
    """TensorDataset batches come from one fancy index; collating item by item gives the same."""
    data = TensorDataset(thw.randn(50, 3), thw.randint(0, 5, (50,)))
    thw.manual_seed(3)
    fast = list(DataLoader(data, batch_size=16, shuffle=True))
    thw.manual_seed(3)
    slow = list(DataLoader(data, batch_size=16, shuffle=True, collate_fn=lambda items: default_collate(items)))
    assert [plain(b) for b in fast] == [plain(b) for b in slow]
    calls = []
    data.get_batch = lambda indices, original=data.get_batch: calls.append(len(indices)) or original(indices)
    list(DataLoader(Subset(data, range(40)), batch_size=16))
    assert calls == [16, 16, 8]


def test_shuffle_follows_manual_seed_and_generator():
    def order(**kwargs):
        return np.concatenate([y.numpy() for _, y in DataLoader(squares(), batch_size=3, shuffle=True, **kwargs)])
    thw.manual_seed(1)
    first = order()
    thw.manual_seed(1)
    assert np.array_equal(first, order()) and sorted(first) == sorted(np.arange(10) ** 2)
    assert not np.array_equal(first, np.arange(10) ** 2)
    a = order(generator=thw.Generator().manual_seed(5))
    thw.manual_seed(99)
    assert np.array_equal(a, order(generator=thw.Generator().manual_seed(5)))


class Stream(IterableDataset):
    def __init__(self, count):
        self.count = count

    def __iter__(self):
        return iter(range(self.count))


class Sized(Stream):
    def __len__(self):
        return self.count


def test_iterable_datasets():
    assert [b.tolist() for b in DataLoader(Stream(5), batch_size=2)] == [[0, 1], [2, 3], [4]]
    assert [b.tolist() for b in DataLoader(Stream(5), batch_size=2, drop_last=True)] == [[0, 1], [2, 3]]
    assert list(DataLoader(Stream(3), batch_size=None)) == [0, 1, 2]  # default_convert keeps Python ints
    assert len(DataLoader(Sized(5), batch_size=2)) == 3 and len(DataLoader(Sized(5), batch_size=2,
                                                                         drop_last=True)) == 2
    with pytest.raises(TypeError):
        len(DataLoader(Stream(5), batch_size=2))
    assert list(Stream(2) + Stream(1)) == [0, 1, 0] and isinstance(Stream(1) + Stream(1), ChainDataset)


LOADER_ERRORS = [  # keyword arguments, error, PyTorch's message
    ({"batch_size": None, "drop_last": True}, ValueError, "batch_size=None option disables auto-batching"),
    ({"batch_size": 0}, ValueError, "batch_size should be a positive integer value, but got batch_size=0"),
    ({"batch_size": -1}, ValueError, "batch_size should be a positive integer value, but got batch_size=-1"),
    ({"shuffle": True, "sampler": [1]}, ValueError, "sampler option is mutually exclusive with shuffle"),
    ({"batch_sampler": [[1]], "batch_size": 2}, ValueError, "batch_sampler option is mutually exclusive"),
    ({"batch_sampler": [[1]], "drop_last": True}, ValueError, "batch_sampler option is mutually exclusive"),
    ({"num_workers": -1}, ValueError, "num_workers option should be non-negative"),
    ({"prefetch_factor": 2}, ValueError, "prefetch_factor option could only be specified in multiprocessing"),
    ({"persistent_workers": True}, ValueError, "persistent_workers option needs num_workers > 0"),
    ({"timeout": -1}, ValueError, "timeout option should be non-negative"),
]


@pytest.mark.parametrize("kwargs, error, message", LOADER_ERRORS)
def test_loader_errors(kwargs, error, message, torch_or_none):
    with pytest.raises(error, match=message):
        DataLoader(squares(), **kwargs)
    if torch_or_none is not None:
        torch = torch_or_none
        data = torch.utils.data.TensorDataset(torch.zeros(10))
        with pytest.raises(error, match=message):
            torch.utils.data.DataLoader(data, **kwargs)


def test_loader_errors_for_streams_and_late_changes():
    for name in ("shuffle", "sampler", "batch_sampler"):
        value = True if name == "shuffle" else [[0]]
        with pytest.raises(ValueError, match=f"DataLoader with IterableDataset: expected unspecified {name} option"):
            DataLoader(Stream(3), **{name: value})
    loader = DataLoader(squares())
    with pytest.raises(ValueError, match="batch_size attribute should not be set after DataLoader is initialized"):
        loader.batch_size = 3
    loader.collate_fn = default_collate  # other attributes may change, as in PyTorch


def test_batch_sampler_and_custom_sampler_argument():
    loader = DataLoader(squares(), batch_sampler=[[0, 2], [9]])
    assert [y.tolist() for _, y in loader] == [[0, 4], [81]] and len(loader) == 2
    loader = DataLoader(squares(), batch_size=2, sampler=[9, 8, 7])
    assert [y.tolist() for _, y in loader] == [[81, 64], [49]]


def test_num_workers_load_in_process_and_run_worker_init_fn():
    seen = []

    def init(worker_id):
        info = get_worker_info()
        seen.append((worker_id, info.id, info.num_workers, type(info.dataset).__name__))

    loader = DataLoader(squares(), batch_size=5, num_workers=2, worker_init_fn=init, pin_memory=True,
                        prefetch_factor=2, persistent_workers=True, timeout=10)
    assert [y.tolist() for _, y in loader][1] == [25, 36, 49, 64, 81]
    assert seen == [(0, 0, 1, "TensorDataset")] and get_worker_info() is None


def test_samplers():
    data = range(7)
    assert list(SequentialSampler(data)) == list(range(7)) and len(SequentialSampler(data)) == 7
    assert sorted(RandomSampler(data)) == list(range(7))
    longer = list(RandomSampler(data, num_samples=16))  # without replacement: permutations in a row
    assert len(longer) == 16 and sorted(longer[:7]) == list(range(7)) and sorted(longer[7:14]) == list(range(7))
    drawn = list(RandomSampler(data, replacement=True, num_samples=200))
    assert len(drawn) == 200 and set(drawn) == set(range(7))
    assert sorted(SubsetRandomSampler([10, 20, 30])) == [10, 20, 30]
    first = list(RandomSampler(data, generator=thw.Generator().manual_seed(3)))
    assert first == list(RandomSampler(data, generator=thw.Generator().manual_seed(3)))
    weighted = np.array(list(WeightedRandomSampler([0.0, 1.0, 3.0], 4000)))
    assert set(weighted) == {1, 2} and abs((weighted == 2).mean() - 0.75) < 0.03
    assert list(WeightedRandomSampler([0.0, 1.0, 0.0], 3, replacement=False))[0] == 1
    assert sorted(WeightedRandomSampler([1, 2, 3, 4], 4, replacement=False)) == [0, 1, 2, 3]
    assert list(BatchSampler(range(5), 2, False)) == [[0, 1], [2, 3], [4]]
    assert list(BatchSampler(range(5), 2, True)) == [[0, 1], [2, 3]] and len(BatchSampler(range(5), 2, True)) == 2


SAMPLER_ERRORS = [  # (name, positional arguments, keyword arguments), error, message
    (("RandomSampler", (range(3),), {"num_samples": 0}), ValueError,
     "num_samples should be a positive integer value, but got num_samples=0"),
    (("RandomSampler", (range(3),), {"replacement": 1}), TypeError,
     "replacement should be a boolean value, but got replacement=1"),
    (("WeightedRandomSampler", ([[1.0]], 2), {}), ValueError, r"weights should be a 1d sequence but given weights "
                                                              r"have shape \(1, 1\)"),
    (("WeightedRandomSampler", ([1.0], 0), {}), ValueError, "num_samples should be a positive integer value"),
    (("BatchSampler", ([1, 2], 0, False), {}), ValueError, "batch_size should be a positive integer value"),
    (("BatchSampler", ([1, 2], 2, 1), {}), ValueError, "drop_last should be a boolean value, but got drop_last=1"),
]


@pytest.mark.parametrize("call, error, message", SAMPLER_ERRORS)
def test_sampler_errors(call, error, message, torch_or_none):
    name, args, kwargs = call
    import tinygrad_hw.utils.data as ours
    with pytest.raises(error, match=message):
        getattr(ours, name)(*args, **kwargs)
    if torch_or_none is not None:
        with pytest.raises(error, match=message):
            getattr(torch_or_none.utils.data, name)(*args, **kwargs)


@pytest.mark.parametrize("weights, message", [([-1.0, 2.0], "encountering probability entry < 0"),
                                              ([0.0, 0.0], r"sum of probabilities <= 0")])
def test_weighted_sampler_bad_weights(weights, message, torch_or_none):
    with pytest.raises(RuntimeError, match=message):
        list(WeightedRandomSampler(weights, 2))
    if torch_or_none is not None:
        with pytest.raises(RuntimeError, match=message):
            list(torch_or_none.utils.data.WeightedRandomSampler(weights, 2))


def test_deterministic_samplers_match_torch(torch):
    tud = torch.utils.data
    for drop_last in (False, True):
        ours = list(BatchSampler(SequentialSampler(range(10)), 3, drop_last))
        assert ours == list(tud.BatchSampler(tud.SequentialSampler(range(10)), 3, drop_last))
    for kwargs in ({}, {"num_samples": 12}, {"replacement": True, "num_samples": 5}):
        assert len(RandomSampler(range(7), **kwargs)) == len(tud.RandomSampler(range(7), **kwargs))


def test_loader_lengths_match_torch(torch):
    tud = torch.utils.data
    for kwargs in ({"batch_size": 3}, {"batch_size": 3, "drop_last": True}, {"batch_size": None},
                   {"batch_size": 4, "shuffle": True}):
        ours = DataLoader(squares(), **kwargs)
        theirs = tud.DataLoader(tud.TensorDataset(torch.zeros(10)), **kwargs)
        assert len(ours) == len(theirs) and len(list(ours)) == len(list(theirs))


def test_datasets_subset_concat_and_split():
    data = squares()
    assert len(data) == 10 and data[3][1].item() == 9 and data.tensors[0].shape == (10, 1)
    with pytest.raises(AssertionError, match="Size mismatch between tensors"):
        TensorDataset(thw.zeros(3), thw.zeros(2))
    subset = Subset(data, [9, 0])
    assert len(subset) == 2 and subset[0][1].item() == 81
    concat = ConcatDataset([range(3), range(10, 12)])
    assert len(concat) == 5 and concat[3] == 10 and concat[-1] == 11 and concat.cumulative_sizes == [3, 5]
    with pytest.raises(ValueError, match="absolute value of index should not exceed dataset length"):
        concat[-6]
    with pytest.raises(AssertionError, match="datasets should not be an empty iterable"):
        ConcatDataset([])
    with pytest.raises(AssertionError, match="ConcatDataset does not support IterableDataset"):
        ConcatDataset([Stream(2)])
    assert isinstance(subset + subset, ConcatDataset)
    with pytest.raises(NotImplementedError, match="Subclasses of Dataset should implement __getitem__."):
        Dataset()[0]
    with pytest.raises(ValueError, match="Sum of input lengths does not equal the length of the input dataset!"):
        random_split(range(10), [3, 3])
    parts = random_split(range(10), [7, 3])
    assert sorted(parts[0].indices + parts[1].indices) == list(range(10)) and isinstance(parts[0].indices, list)
    assert [len(p) for p in random_split(range(10), [0.33, 0.33, 0.34])] == [4, 3, 3]
    assert [len(p) for p in random_split(range(11), [0.5, 0.5])] == [6, 5]
    with pytest.warns(UserWarning, match="Length of split at index 1 is 0"):
        random_split(range(2), [0.9, 0.1])
    one = random_split(range(10), [5, 5], generator=thw.Generator().manual_seed(7))
    two = random_split(range(10), [5, 5], generator=thw.Generator().manual_seed(7))
    assert one[0].indices == two[0].indices


def test_fraction_split_lengths_match_torch(torch):
    for size, fractions in ((10, [0.33, 0.33, 0.34]), (11, [0.5, 0.5]), (7, [0.1, 0.2, 0.7]), (100, [0.8, 0.2])):
        ours = [len(p) for p in random_split(range(size), fractions)]
        assert ours == [len(p) for p in torch.utils.data.random_split(range(size), fractions)]


def test_pytorch_import_swap():
    import tinygrad_hw as torch
    from tinygrad_hw.utils.data import DataLoader as Loader
    assert torch.utils.data.DataLoader is Loader is thw.data.DataLoader
    assert torch.utils.data.TensorDataset is thw.data.TensorDataset


class Records(Dataset):
    """Items of every kind default_collate handles: numbers, arrays, strings, dicts, tuples."""

    def __len__(self):
        return 7

    def __getitem__(self, i):
        return {"id": i, "score": i / 2, "pixels": np.full((2, 2), i, np.float32), "name": f"item{i}",
                "pair": (np.int16(i), [i, -i])}


@pytest.mark.parametrize("kwargs", [{"batch_size": 3}, {"batch_size": 3, "drop_last": True}, {"batch_size": None},
                                    {"batch_size": 2, "sampler": [6, 0, 3]},
                                    {"batch_sampler": [[1, 2], [5]]}])
def test_loader_output_matches_torch(torch, kwargs):
    ours = [plain(batch) for batch in DataLoader(Records(), **kwargs)]
    theirs = [plain(batch) for batch in torch.utils.data.DataLoader(Records(), **kwargs)]
    assert ours == theirs


@pytest.mark.parametrize("kwargs", [{"batch_size": 4}, {"batch_size": 4, "drop_last": True}, {"batch_size": None}])
def test_tensor_dataset_loader_matches_torch(torch, kwargs):
    arrays = (np.arange(12, dtype=np.float32).reshape(6, 2), np.arange(6) % 4)
    ours = [plain(batch) for batch in DataLoader(TensorDataset(*arrays), **kwargs)]
    data = torch.utils.data.TensorDataset(*(torch.from_numpy(a) for a in arrays))
    assert ours == [plain(batch) for batch in torch.utils.data.DataLoader(data, **kwargs)]
