# Python-side reference for the checkpoint tests: dumps what torch.load sees, writes and checks files.
"""Usage:
  torch_reference.py dump CKPT OUTDIR        flattened tensors (plain dict .pt) + scalar leaves (text) of torch.load
  torch_reference.py dumpmany OUTDIR CKPT... the same for several files, into OUTDIR/0, OUTDIR/1, ...
  torch_reference.py write OUT FORMAT        the reference tree (every dtype, views, nesting); FORMAT: zip, zip4,
                                             legacy, zip_cuda (storage locations say cuda:0)
  torch_reference.py check FILE              torch.load FILE and compare it with the reference tree; exit 1 on any
                                             difference
"""
import collections
import math
import sys

import torch


def flatten(v, name, tensors, scalars):
    def join(k):
        return k if not name else name + "." + k
    if isinstance(v, torch.Tensor):
        tensors[name] = v.detach().clone().contiguous()
    elif isinstance(v, dict):
        for k, sub in v.items():
            flatten(sub, join(str(k)), tensors, scalars)
    elif isinstance(v, (list, tuple)):
        for i, sub in enumerate(v):
            flatten(sub, join(str(i)), tensors, scalars)
    elif v is None:
        scalars.append((name, "none", ""))
    elif isinstance(v, bool):
        scalars.append((name, "bool", "1" if v else "0"))
    elif isinstance(v, int):
        scalars.append((name, "int", str(v)))
    elif isinstance(v, float):
        scalars.append((name, "float", repr(v)))
    elif isinstance(v, str):
        scalars.append((name, "str", v.encode("utf-8").hex()))
    else:
        raise SystemExit("unexpected leaf type %s at %s" % (type(v), name))


def dump(path, outdir):
    obj = torch.load(path, map_location="cpu")
    tensors, scalars = {}, []
    flatten(obj, "", tensors, scalars)
    # torch::pickle_load (the independent C++ reader of the test support) cannot read bfloat16 reliably:
    # those are stored as float32 (exact), their dtype is in the manifest.
    plain = {k: (t.float() if t.dtype == torch.bfloat16 else t) for k, t in tensors.items()}
    torch.save(plain, outdir + "/tensors.pt")
    with open(outdir + "/manifest.txt", "w") as f:
        for k, t in tensors.items():
            f.write("tensor\t%s\t%s\t%s\n" % (k, str(t.dtype).replace("torch.", ""), ",".join(map(str, t.shape))))
        for name, kind, val in scalars:
            f.write("%s\t%s\t%s\n" % (kind, name, val))


def ar(dtype):
    a = torch.arange(24, dtype=torch.int64).reshape(2, 3, 4)
    if dtype in (torch.float32, torch.float16, torch.bfloat16):
        return ((a - 7).to(torch.float32) * 0.375).to(dtype)
    if dtype == torch.float64:
        return (a - 7).to(torch.float64) / 3.0
    if dtype == torch.int64:
        return a * 1000000000000 - 5
    if dtype == torch.int32:
        return (a * 100000 - 7).to(torch.int32)
    if dtype == torch.int16:
        return (a * 1000 - 12000).to(torch.int16)
    if dtype == torch.int8:
        return (a - 10).to(torch.int8)
    if dtype == torch.uint8:
        return (a * 10).to(torch.uint8)
    if dtype == torch.bool:
        return (a % 3) == 0
    raise ValueError(dtype)


DTYPES = [torch.float32, torch.float16, torch.bfloat16, torch.float64, torch.int64, torch.int32, torch.int16,
          torch.int8, torch.uint8, torch.bool]


def reference():
    """The tree both sides build independently (the C++ twin is in test_roundtrip.cpp)."""
    sd = collections.OrderedDict()
    for dt in DTYPES:
        sd["t_" + str(dt).replace("torch.", "")] = ar(dt)
    base = torch.arange(30, dtype=torch.float32) * 0.5
    m = base[:24].view(4, 6)
    sd["view.base"] = base
    sd["view.transposed"] = m.t()
    sd["view.slice"] = base[5:17:3]
    sd["scalar0d"] = torch.tensor(2.5)
    sd["empty"] = torch.zeros(0, 3)
    return {
        "step": 12345678901234,
        "model_state": sd,
        "optimizer_state": {
            "state": {0: {"step": 3, "exp_avg": torch.ones(2)}, 1: {"step": 3, "exp_avg": torch.zeros(2)}},
            "param_groups": [{"lr": 1e-4, "betas": (0.9, 0.999), "eps": 1e-08, "amsgrad": False, "foreach": None,
                              "params": [0, 1]}],
        },
        "text": "h\u00e9llo \u4f60\u597d",
        "neg": -5,
        "big": -(2 ** 40),
        "inf": math.inf,
        "nested": [[1, [2.5, (3, "x")]], {}],
    }


def write(out, fmt):
    obj = reference()
    if fmt == "zip":
        torch.save(obj, out)
    elif fmt == "zip4":
        torch.save(obj, out, pickle_protocol=4)
    elif fmt == "legacy":
        torch.save(obj, out, _use_new_zipfile_serialization=False)
    elif fmt == "zip_cuda":
        import torch.serialization as ser
        saved = ser.location_tag
        ser.location_tag = lambda storage: "cuda:0"
        try:
            torch.save(obj, out)
        finally:
            ser.location_tag = saved
    else:
        raise SystemExit("unknown format " + fmt)


def same(a, b, path):
    if isinstance(a, torch.Tensor):
        if not isinstance(b, torch.Tensor) or a.dtype != b.dtype or a.shape != b.shape or not torch.equal(a, b):
            raise SystemExit("tensor differs at %s: %r vs %r" % (path, a, b))
        return
    if type(a) is not type(b):
        raise SystemExit("type differs at %s: %s vs %s" % (path, type(a), type(b)))
    if isinstance(a, dict):
        if list(a.keys()) != list(b.keys()):
            raise SystemExit("keys differ at %s: %s vs %s" % (path, list(a.keys()), list(b.keys())))
        for k in a:
            same(a[k], b[k], path + "." + str(k))
    elif isinstance(a, (list, tuple)):
        if len(a) != len(b):
            raise SystemExit("length differs at " + path)
        for i, (x, y) in enumerate(zip(a, b)):
            same(x, y, path + "." + str(i))
    elif a != b:
        raise SystemExit("value differs at %s: %r vs %r" % (path, a, b))


def check(path):
    got = torch.load(path)
    same(reference(), got, "root")
    sd = got["model_state"]
    # Views must come back as views of one storage, as torch.save keeps them.
    if sd["view.transposed"].storage().data_ptr() != sd["view.base"].storage().data_ptr():
        raise SystemExit("view.transposed does not share view.base's storage")
    if sd["view.slice"].storage().data_ptr() != sd["view.base"].storage().data_ptr():
        raise SystemExit("view.slice does not share view.base's storage")
    print("OK torch", torch.__version__)


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "dumpmany":
        import os
        for i, p in enumerate(sys.argv[3:]):
            os.makedirs(os.path.join(sys.argv[2], str(i)), exist_ok=True)
            dump(p, os.path.join(sys.argv[2], str(i)))
    elif len(sys.argv) == 4 and sys.argv[1] == "dump":
        dump(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "write":
        write(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 3 and sys.argv[1] == "check":
        check(sys.argv[2])
    else:
        raise SystemExit(__doc__)
