import importlib.util

import numpy as np
import pytest

import neuromem as nm


def have(module):
    return importlib.util.find_spec(module) is not None


needs_brian2 = pytest.mark.skipif(not have("brian2"), reason="brian2 not installed (pip install 'neuromem[brian2]')")
needs_nest = pytest.mark.skipif(not have("nest"), reason="nest-simulator not installed (pip install 'neuromem[pynn]')")


def small_lif_network(seed=3):
    """Inputs -> LIF layer A (exc + inh, two delays) -> LIF layer B: deterministic."""
    net = nm.Network(seed=seed, label="small")
    rng = np.random.default_rng(seed)
    times = [np.sort(rng.choice(np.arange(2.0, 95.0, 0.1), 8, replace=False)).round(1) for _ in range(6)]
    inp = net.population(6, nm.SpikeSourceArray(spike_times=times), label="input")
    a = net.population(8, nm.IF_curr_exp(tau_m=10.0, tau_syn_E=2.0, tau_syn_I=4.0, tau_refrac=2.0, cm=0.25,
                                          v_rest=-65.0, v_reset=-70.0, v_thresh=-55.0, i_offset=0.1), label="A")
    b = net.population(5, nm.IF_curr_exp(tau_m=15.0, tau_syn_E=3.0, tau_syn_I=3.0, tau_refrac=1.0, cm=0.5,
                                          i_offset=0.05), label="B")
    net.projection(inp, a, nm.FixedProbabilityConnector(0.7), nm.StaticSynapse(
        weight=nm.RandomDistribution("uniform", low=0.5, high=2.0), delay=1.0), label="in->A")
    net.projection(inp, a, nm.FixedProbabilityConnector(0.3), nm.StaticSynapse(weight=0.8, delay=2.5),
                   receptor_type="inhibitory", label="in-|A")
    net.projection(a, b, nm.AllToAllConnector(), nm.StaticSynapse(
        weight=nm.RandomDistribution("uniform", low=0.3, high=1.2),
        delay=nm.RandomDistribution("uniform", low=0.5, high=3.0)), label="A->B")
    net.projection(b, a, nm.FixedNumberPreConnector(2), nm.StaticSynapse(weight=0.6, delay=1.5),
                   receptor_type="inhibitory", label="B-|A")
    for p in (a, b):
        p.record("spikes")
    return net


def write_idx(path, array, gz=False):
    """Write ``array`` (uint8 or big-endian int32) as an IDX file, gzip-compressed with ``gz``."""
    import gzip
    codes = {np.dtype(np.uint8): 0x08, np.dtype(">i4"): 0x0C}
    arr = np.ascontiguousarray(array)
    head = bytes([0, 0, codes[arr.dtype], arr.ndim]) + b"".join(int(d).to_bytes(4, "big") for d in arr.shape)
    raw = head + arr.tobytes()
    path.write_bytes(gzip.compress(raw) if gz else raw)


def pytest_terminal_summary(terminalreporter):
    """The fuzz suite's counts: cases per surface and how each ended."""
    import sys
    fuzz = sys.modules.get("tests.test_fuzz") or sys.modules.get("test_fuzz")
    if fuzz is None or not fuzz.COUNTS:
        return
    terminalreporter.section("fuzz outcomes")
    total = {}
    for surface, counts in sorted(fuzz.COUNTS.items()):
        terminalreporter.write_line(f"{surface:40s} " + ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())))
        for k, v in counts.items():
            total[k] = total.get(k, 0) + v
    terminalreporter.write_line(f"{'all surfaces':40s} " + ", ".join(f"{k}: {v}" for k, v in sorted(total.items())))
