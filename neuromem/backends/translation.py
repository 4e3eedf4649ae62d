"""One translation table per target: how each neuromem cell type, state variable and weight is named,
scaled and signed there.  The NEST, Brian2, PyNN and NIR backends read these tables; nothing else
in the backends knows a target's names or units (PyNN's standard model, which neuromem's cell types
follow, is the source language).

* ``CELLS[target][celltype]``: the target's model name, its parameter names with the scale (a number)
  or Brian2 unit (a string) applied to neuromem's values, the state variables likewise, and fixed
  settings the target needs for the same dynamics;
* ``WEIGHTS[target]``: the scale of a weight onto each cell type and the sign of inhibitory weights
  (PyNN's convention: neuromem weights are positive, the receptor gives the sign);
* ``CURRENT_SCALE[target]``: injected currents (nA in neuromem);
* :func:`nir_lif`: NIR's CubaLIF quantities, which are combinations of neuromem's parameters.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from ..core.cells import IF_curr_exp, Izhikevich


@dataclass(frozen=True)
class CellTranslation:
    """How one cell type reads in a target: ``parameters`` and ``state`` map a neuromem name to
    ``(target name, scale or unit)``; ``fixed`` are settings of the target's model; ``derived`` maps a
    target parameter that combines several of neuromem's to a function of the population's values."""

    model: str | None
    parameters: dict
    state: dict
    fixed: dict = field(default_factory=dict)
    derived: dict = field(default_factory=dict)


@dataclass(frozen=True)
class WeightTranslation:
    """Scale of a weight per postsynaptic cell type and the sign of inhibitory weights."""

    scale: dict
    inhibitory_sign: float


_LIF_NEST = CellTranslation(
    "iaf_psc_exp",
    {"cm": ("C_m", 1000.0), "tau_m": ("tau_m", 1.0), "tau_refrac": ("t_ref", 1.0), "tau_syn_E": ("tau_syn_ex", 1.0),
     "tau_syn_I": ("tau_syn_in", 1.0), "i_offset": ("I_e", 1000.0), "v_rest": ("E_L", 1.0),
     "v_reset": ("V_reset", 1.0), "v_thresh": ("V_th", 1.0)},
    {"v": ("V_m", 1.0)})
_IZH_NEST = CellTranslation(
    "izhikevich",
    {"a": ("a", 1.0), "b": ("b", 1.0), "c": ("c", 1.0), "d": ("d", 1.0), "i_offset": ("I_e", 1000.0)},
    {"v": ("V_m", 1.0), "u": ("U_m", 1.0)},
    # the paper's two half steps for v (NEST's default integrates otherwise); its spike peak
    {"V_th": Izhikevich.v_peak, "consistent_integration": False})

_COND_NEST = CellTranslation(
    "iaf_cond_exp",
    {"cm": ("C_m", 1000.0), "tau_refrac": ("t_ref", 1.0), "tau_syn_E": ("tau_syn_ex", 1.0),
     "tau_syn_I": ("tau_syn_in", 1.0), "e_rev_E": ("E_ex", 1.0), "e_rev_I": ("E_in", 1.0),
     "i_offset": ("I_e", 1000.0), "v_rest": ("E_L", 1.0), "v_reset": ("V_reset", 1.0), "v_thresh": ("V_th", 1.0)},
    {"v": ("V_m", 1.0), "gsyn_exc": ("g_ex", 1000.0), "gsyn_inh": ("g_in", 1000.0)},
    derived={"g_L": lambda v: 1000.0 * v["cm"] / v["tau_m"]})   # nS

_EIF_NEST = CellTranslation(
    "aeif_cond_exp",
    {"cm": ("C_m", 1000.0), "tau_refrac": ("t_ref", 1.0), "v_spike": ("V_peak", 1.0),
     "v_reset": ("V_reset", 1.0), "v_rest": ("E_L", 1.0), "i_offset": ("I_e", 1000.0), "a": ("a", 1.0),
     "b": ("b", 1000.0), "delta_T": ("Delta_T", 1.0), "tau_w": ("tau_w", 1.0), "v_thresh": ("V_th", 1.0),
     "e_rev_E": ("E_ex", 1.0), "tau_syn_E": ("tau_syn_ex", 1.0), "e_rev_I": ("E_in", 1.0),
     "tau_syn_I": ("tau_syn_in", 1.0)},
    {"v": ("V_m", 1.0), "w": ("w", 1000.0)}, derived=_COND_NEST.derived)

CELLS = {
    "nest": {"IF_curr_exp": _LIF_NEST, "IF_curr_alpha": CellTranslation("iaf_psc_alpha", _LIF_NEST.parameters,
                                                                        _LIF_NEST.state),
             "IF_cond_exp": _COND_NEST, "Izhikevich": _IZH_NEST,
             "IF_cond_alpha": CellTranslation("iaf_cond_alpha", _COND_NEST.parameters, _COND_NEST.state,
                                              derived=_COND_NEST.derived),
             "IF_cond_exp_gsfa_grr": CellTranslation(
                 "iaf_cond_exp_sfa_rr",
                 {**_COND_NEST.parameters, "tau_sfa": ("tau_sfa", 1.0), "e_rev_sfa": ("E_sfa", 1.0),
                  "q_sfa": ("q_sfa", 1.0), "tau_rr": ("tau_rr", 1.0), "e_rev_rr": ("E_rr", 1.0), "q_rr": ("q_rr", 1.0)},
                 {**_COND_NEST.state, "g_s": ("g_sfa", 1.0), "g_r": ("g_rr", 1.0)}, derived=_COND_NEST.derived),
             "EIF_cond_exp_isfa_ista": _EIF_NEST,
             "EIF_cond_alpha_isfa_ista": replace(_EIF_NEST, model="aeif_cond_alpha"),
             "HH_cond_exp": CellTranslation(
                 "hh_cond_exp_traub",
                 {"gbar_Na": ("g_Na", 1000.0), "gbar_K": ("g_K", 1000.0), "g_leak": ("g_L", 1000.0),
                  "cm": ("C_m", 1000.0), "v_offset": ("V_T", 1.0), "e_rev_Na": ("E_Na", 1.0), "e_rev_K": ("E_K", 1.0),
                  "e_rev_leak": ("E_L", 1.0), "e_rev_E": ("E_ex", 1.0), "e_rev_I": ("E_in", 1.0),
                  "tau_syn_E": ("tau_syn_ex", 1.0), "tau_syn_I": ("tau_syn_in", 1.0), "i_offset": ("I_e", 1000.0)},
                 {"v": ("V_m", 1.0), "m": ("Act_m", 1.0), "h": ("Inact_h", 1.0), "n": ("Act_n", 1.0)}),
             "IF_curr_delta": CellTranslation("iaf_psc_delta", {k: v for k, v in _LIF_NEST.parameters.items()
                                                                if not k.startswith("tau_syn")}, _LIF_NEST.state)},
    "brian2": {
        "IF_curr_exp": CellTranslation(
            None, {"tau_m": ("tau_m", "ms"), "tau_syn_E": ("tau_syn_E", "ms"), "tau_syn_I": ("tau_syn_I", "ms"),
                   "cm": ("c_m", "nF"), "v_rest": ("v_rest", "mV"), "v_reset": ("v_reset", "mV"),
                   "v_thresh": ("v_thresh", "mV"), "i_offset": ("i_offset", "nA"), "tau_refrac": ("tau_refrac", "ms")},
            {"v": ("v", "mV"), "isyn_exc": ("ie", "nA"), "isyn_inh": ("ii", "nA")}),
        "IF_cond_exp": CellTranslation(
            None, {"tau_syn_E": ("tau_syn_E", "ms"), "tau_syn_I": ("tau_syn_I", "ms"), "cm": ("c_m", "nF"),
                   "v_rest": ("v_rest", "mV"), "v_reset": ("v_reset", "mV"), "v_thresh": ("v_thresh", "mV"),
                   "e_rev_E": ("e_rev_E", "mV"), "e_rev_I": ("e_rev_I", "mV"), "i_offset": ("i_offset", "nA"),
                   "tau_refrac": ("tau_refrac", "ms")},
            {"v": ("v", "mV"), "gsyn_exc": ("ge", "uS"), "gsyn_inh": ("gi", "uS")},
            derived={"g_leak": lambda v: (v["cm"] / v["tau_m"], "uS")}),
        "Izhikevich": CellTranslation(
            None, {"a": ("a", 1.0), "b": ("b", 1.0), "c": ("c", 1.0), "d": ("d", 1.0), "i_offset": ("I_e", 1000.0)},
            {"v": ("v", 1.0), "u": ("u", 1.0)}),
        "IF_curr_delta": CellTranslation(
            None, {"tau_m": ("tau_m", "ms"), "cm": ("c_m", "nF"), "v_rest": ("v_rest", "mV"),
                   "v_reset": ("v_reset", "mV"), "v_thresh": ("v_thresh", "mV"), "i_offset": ("i_offset", "nA"),
                   "tau_refrac": ("tau_refrac", "ms")},
            {"v": ("v", "mV")}),
    },
}
# PyNN's standard cell types are neuromem's: same names and units on every PyNN backend
for _target in ("pyNN.nest", "pyNN.brian2", "pyNN.spiNNaker"):
    CELLS[_target] = {
        ct.__name__: CellTranslation(ct.__name__, {k: (k, 1.0) for k in ct.parameters},
                                     {k: (k, 1.0) for k in ct.initial_values if k in ("v", "u")})
        for ct in (IF_curr_exp, Izhikevich)}
CELLS["pyNN.nest"]["Izhikevich"] = CellTranslation("Izhikevich", CELLS["pyNN.nest"]["Izhikevich"].parameters,
                                                   CELLS["pyNN.nest"]["Izhikevich"].state,
                                                   {"consistent_integration": False})

WEIGHTS = {
    # NEST: pA for current synapses; Izhikevich weights are the paper's jumps of I (mV), as neuromem's
    # (nS for conductance synapses: NEST's iaf_cond_exp takes a negative weight as inhibitory too)
    "nest": WeightTranslation({"IF_curr_exp": 1000.0, "IF_curr_alpha": 1000.0, "IF_cond_exp": 1000.0,
                               "IF_cond_alpha": 1000.0, "IF_cond_exp_gsfa_grr": 1000.0, "IF_curr_delta": 1.0,
                               "EIF_cond_exp_isfa_ista": 1000.0, "EIF_cond_alpha_isfa_ista": 1000.0, "HH_cond_exp": 1000.0,
                               "Izhikevich": 1.0}, -1.0),
    # Brian2: the receptor picks the variable (ie or ii), so weights stay positive
    "brian2": WeightTranslation({"IF_curr_exp": 1.0, "IF_cond_exp": 1.0, "Izhikevich": 1.0, "IF_curr_delta": 1.0}, 1.0),
    # pyNN.nest hands Izhikevich weights to NEST unscaled (the same jumps); the other PyNN backends take nA
    "pyNN.nest": WeightTranslation({"IF_curr_exp": 1.0, "Izhikevich": 1.0}, -1.0),
    "pyNN.brian2": WeightTranslation({"IF_curr_exp": 1.0, "Izhikevich": 1e-3}, -1.0),
    # sPyNNaker takes positive inhibitory weights
    "pyNN.spiNNaker": WeightTranslation({"IF_curr_exp": 1.0, "Izhikevich": 1e-3}, 1.0),
    # NIR: a Linear weight is signed; its scale (tau_syn) is per synapse, see nir_weight
    "nir": WeightTranslation({"IF_curr_exp": 1.0}, -1.0),
}
CURRENT_SCALE = {"nest": 1000.0, "brian2": 1.0, "pyNN.nest": 1.0, "pyNN.brian2": 1.0, "pyNN.spiNNaker": 1.0}


def cell(target: str, pop) -> CellTranslation:
    """The translation of ``pop``'s cell type in ``target`` (KeyError if the target has none); an Izhikevich
    population with ``integration="euler"`` gets NEST's default integration."""
    tr = CELLS[target][type(pop.celltype).__name__]
    if "consistent_integration" in tr.fixed and pop.celltype.integration == "euler":
        tr = replace(tr, fixed={**tr.fixed, "consistent_integration": True})
    return tr


def parameters(target: str, pop) -> dict:
    """``pop``'s parameters under the target's names, scaled (numbers) or as (values, unit) for Brian2."""
    tr = cell(target, pop)
    return {**{name: _scaled(pop.values[k], scale) for k, (name, scale) in tr.parameters.items()},
            **{name: fn(pop.values) for name, fn in tr.derived.items()}}


def state(target: str, pop) -> dict:
    """``pop``'s initial state under the target's names, scaled likewise."""
    tr = cell(target, pop)
    return {name: _scaled(pop.initial[k], scale) for k, (name, scale) in tr.state.items() if k in pop.initial}


def _scaled(values, scale):
    return (values, scale) if isinstance(scale, str) else values * scale


def weights(target: str, prj, values=None) -> np.ndarray:
    """The weights of ``prj`` (or ``values``) as ``target`` wants them: scaled for the postsynaptic cell type,
    inhibitory ones signed."""
    tr = WEIGHTS[target]
    w = prj.weight if values is None else np.asarray(values, dtype=float)
    sign = tr.inhibitory_sign if prj.receptor_type == "inhibitory" else 1.0
    return sign * tr.scale[type(prj.post.celltype).__name__] * w


def weight_scale(target: str, celltype) -> float:
    """The weight scale onto ``celltype`` (a class or instance) in ``target``."""
    name = celltype.__name__ if isinstance(celltype, type) else type(celltype).__name__
    return WEIGHTS[target].scale[name]


def nir_lif(pop) -> dict:
    r"""NIR CubaLIF quantities of an IF_curr_exp population: ``tau_mem = tau_m``, ``r = tau_m / cm``,
    ``v_leak = v_rest + r i_offset`` (NIR: :math:`\tau_{mem} \dot v = (v_{leak} - v) + R I`),
    ``tau_syn`` (one per cell; excitatory and inhibitory must agree), threshold and reset."""
    r = pop.values["tau_m"] / pop.values["cm"]
    return {"tau_syn": pop.values["tau_syn_E"].copy(), "tau_mem": pop.values["tau_m"].copy(), "r": r,
            "v_leak": pop.values["v_rest"] + r * pop.values["i_offset"], "v_threshold": pop.values["v_thresh"].copy(),
            "v_reset": pop.values["v_reset"].copy()}


def nir_weight(prj, values=None) -> np.ndarray:
    """NIR Linear weights of ``prj``: a neuromem weight moves I by w nA, a unit spike in NIR by 1/tau_syn,
    so the Linear weight is ``w tau_syn`` (signed for inhibition)."""
    tau = prj.post.values["tau_syn_E"][prj.post_idx]
    return weights("nir", prj, values) * tau
