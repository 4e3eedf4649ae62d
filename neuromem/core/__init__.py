"""The spiking engine: what is simulated (network, cells, connectors, synapses)
and how (:class:`Simulator` over the Numba kernels)."""
from .cells import (CELL_TYPES, EIF_cond_alpha_isfa_ista, EIF_cond_exp_isfa_ista, HH_cond_exp, IF_cond_alpha,
                    IF_cond_exp, IF_cond_exp_gsfa_grr, IF_curr_alpha, IF_curr_delta, IF_curr_exp, Izhikevich, SpikeSourceArray,
                    SpikeSourceGamma, SpikeSourcePoisson, SpikeSourcePoissonRefractory)
from .connectors import (AllToAllConnector, FixedNumberPostConnector, FixedNumberPreConnector, FixedTotalNumberConnector,
                         FixedProbabilityConnector, FromListConnector,
                         OneToOneConnector)
from .network import Network, Population, Projection
from .recording import Recording
from .simulator import Simulator
from .sources import ACSource, DCSource, NoisyCurrentSource, PoissonInput, StepCurrentSource
from .synapses import (AdditivePotentiationMultiplicativeDepression, AdditiveWeightDependence,
                       MultiplicativeWeightDependence, RandomDistribution, SpikePairRule,
                       SimpleStochasticSynapse, StaticSynapse, STDPMechanism, ThreeFactorSynapse,
                       TsodyksMarkramSynapse)

__all__ = ["EIF_cond_exp_isfa_ista", "EIF_cond_alpha_isfa_ista", "HH_cond_exp", "IF_curr_exp", "IF_curr_alpha", "IF_cond_exp", "IF_cond_exp_gsfa_grr", "IF_cond_alpha", "IF_curr_delta", "Izhikevich", "SpikeSourceArray", "SpikeSourcePoisson", "SpikeSourceGamma",
           "SpikeSourcePoissonRefractory", "CELL_TYPES",
           "AllToAllConnector", "OneToOneConnector", "FixedProbabilityConnector", "FixedNumberPreConnector", "FixedTotalNumberConnector",
           "FixedNumberPostConnector",
           "FromListConnector", "Network", "Population", "Projection", "Recording", "Simulator", "DCSource", "ACSource",
           "StepCurrentSource",
           "NoisyCurrentSource", "PoissonInput", "StaticSynapse", "STDPMechanism", "ThreeFactorSynapse", "TsodyksMarkramSynapse", "SimpleStochasticSynapse", "SpikePairRule",
           "AdditiveWeightDependence", "MultiplicativeWeightDependence",
           "AdditivePotentiationMultiplicativeDepression", "RandomDistribution"]
