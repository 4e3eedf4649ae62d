"""neuromem as a PyNN simulator: ``import neuromem.pynn as sim`` (or ``import pyNN.neuromem as sim`` once
neuromem.pynn is imported) runs a PyNN script on neuromem's engine, unchanged.

Built on PyNN's common layer (the layout of ``pyNN/mock``): PyNN's populations, views, assemblies,
connectors, parameter spaces and Neo recording; neuromem's network, simulator and kernels underneath.
``setup(timestep, min_delay, spinnaker=False, timing=None, threads=None, seed=0)``: ``spinnaker=True``
runs the bit-exact SpiNNaker emulation.  Cell types: IF_curr_exp, IF_curr_alpha, IF_cond_exp, IF_cond_exp_gsfa_grr, IF_cond_alpha,
IF_curr_delta, EIF_cond_exp_isfa_ista, EIF_cond_alpha_isfa_ista, HH_cond_exp, Izhikevich, SpikeSourceArray,
SpikeSourcePoisson, SpikeSourceGamma, SpikeSourcePoissonRefractory; synapses: StaticSynapse, TsodyksMarkramSynapse,
SimpleStochasticSynapse and STDPMechanism with SpikePairRule and additive, multiplicative or
AdditivePotentiationMultiplicativeDepression weight dependence; current sources: DCSource, ACSource,
StepCurrentSource and NoisyCurrentSource into any cells, their parameters changeable between runs, their currents
recordable.
"""
import sys

from pyNN import errors, random, space  # noqa: F401
from pyNN.connectors import *  # noqa: F401,F403
from pyNN.network import Network  # noqa: F401
from pyNN.random import NumpyRNG, RandomDistribution  # noqa: F401
from pyNN.recording import *  # noqa: F401,F403
from pyNN.space import Space  # noqa: F401
from pyNN.standardmodels import StandardCellType

from .control import (end, get_current_time, get_max_delay, get_min_delay, get_time_step,  # noqa: F401
                      initialize, num_processes, rank, reset, run, run_for, run_until, setup)
from .populations import Assembly, Population, PopulationView  # noqa: F401
from .procedural_api import connect, create, record, record_gsyn, record_v  # noqa: F401
from .projections import Projection  # noqa: F401
from .standardmodels import (ACSource, AdditivePotentiationMultiplicativeDepression,  # noqa: F401
                             AdditiveWeightDependence, DCSource, EIF_cond_alpha_isfa_ista, EIF_cond_exp_isfa_ista,
                             HH_cond_exp, IF_cond_alpha, IF_cond_exp, IF_cond_exp_gsfa_grr, IF_curr_alpha,
                             IF_curr_delta, IF_curr_exp, Izhikevich,
                             MultiplicativeWeightDependence, NoisyCurrentSource, SimpleStochasticSynapse,
                             SpikePairRule, SpikeSourceArray, SpikeSourceGamma, SpikeSourcePoisson,
                             SpikeSourcePoissonRefractory, StaticSynapse, STDPMechanism, StepCurrentSource,
                             TsodyksMarkramSynapse, standard_cell_types)


def list_standard_models():
    """The PyNN standard cell types this backend runs."""
    return standard_cell_types()


class NotAvailableError(NotImplementedError, AttributeError):
    """Something of PyNN's that pyNN.neuromem does not run (also an AttributeError, so ``hasattr`` still answers)."""


def __getattr__(name):
    """PyNN's standard models, receptors and connectors that neuromem lacks are refused by name."""
    from pyNN import connectors
    from pyNN.standardmodels import cells, electrodes, receptors, synapses
    for kind, module in (("cell type", cells), ("synapse type", synapses), ("current source", electrodes),
                         ("post-synaptic response", receptors), ("connector", connectors)):
        if isinstance(getattr(module, name, None), type):
            raise NotAvailableError(f"pyNN.neuromem has no {name} (a PyNN {kind}); it runs the cell types "
                                    f"{', '.join(list_standard_models())} and the synapses, sources and connectors "
                                    "listed in its module docstring")
    raise AttributeError(f"module 'pyNN.neuromem' has no attribute {name!r}")


# PyNN's tools find a backend by name: pyNN.neuromem
import pyNN as _pyNN  # noqa: E402

sys.modules.setdefault("pyNN.neuromem", sys.modules[__name__])
if not hasattr(_pyNN, "neuromem"):
    _pyNN.neuromem = sys.modules[__name__]
