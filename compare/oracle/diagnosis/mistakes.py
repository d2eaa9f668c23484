"""The catalogue of mistakes a person makes deriving backprop, each recomputed in NumPy.

Each ``Mistake`` has a key, a one-line text in the seed's notation, the equation it changes (``slot``: two
mistakes in one slot cannot happen together) and ``u_scale`` (> 1 when the mistake computes in a coarser
precision). ``recompute(params, x, y, keys)`` is the seed's backprop with every mistake in ``keys`` made at
once; with no keys it is the seed's gradient (the tests check it agrees with the reference). It is the
oracle's own arithmetic: it imports nothing of ``manual``'s math.

``reproduces`` decides whether a recomputation with a mistake explains a candidate's values; see its
docstring for the tolerance and why.
"""

from __future__ import annotations

from itertools import combinations
from typing import NamedTuple

import numpy as np

from ..cases.cases import materialise
from ..reference.bound import UNIT_ROUNDOFF, reproduction_tolerance
from .budget import Deadline, deadline


class Mistake(NamedTuple):
    """A catalogued mistake: ``key``, ``text`` (the seed's notation), ``slot`` (the equation it changes; of the
    recurrence, "W^T" is the weights it reads, apart from "recurrence", what it sends down; of sigma', "sigma' of"
    is the activation it is taken of, apart from "sigma'", how it is written: two mistakes at once)."""

    key: str
    text: str
    slot: str
    u_scale_from: str | None = None      # the dtype it computes in, when that is not the case's
    shape_bound: bool = False            # code with it runs only where shapes happen to agree, raising elsewhere
    form: str | None = None              # a sigma' written otherwise (``SIGMA_PRIME_FORMS``) ...
    scope: str = "all"                   # ... in these layers (``in_scope``)
    base: str | None = None              # a ``ONE_LAYER`` variant: this catalogued mistake ...
    layer: int | None = None             # ... made at this layer alone


# The sign mistake's words for a gradient function, which may return -grad on purpose; a step that climbs may not
# (``stepmistakes.gradient_sentence`` leaves them out).
ON_PURPOSE = ("; a function that returns -grad on purpose, the descent direction, declares it with a negative "
              "--scale, e.g. --scale=-1")


CATALOGUE: dict[str, Mistake] = {m.key: m for m in (
    Mistake("missing_half", "the 1/2 of C = (1/n_L) sum_j 1/2 (a_j - y_j)^2 was dropped, a factor 2 (twice the "
            "reference): dC/da^L = (2/n_L)(a^L - y), but d/da 1/2 (a - y)^2 = a - y", "half"),
    Mistake("stray_half", "a stray 1/2, a factor 1/2 (half the reference): delta^L = (1/(2 n_L))(a^L - y) * "
            "sigma'(z^L) (under a declared --scale with a 2 in it: the 2 of d/da (a - y)^2 = 2 (a - y) left out)",
            "half"),
    Mistake("missing_inv_nL", "the 1/n_L of C is missing, a factor n_L (n_L times the reference): delta^L = "
            "(a^L - y) * sigma'(z^L) instead of (1/n_L)(a^L - y) * sigma'(z^L)", "n_L"),
    Mistake("inv_nL_twice", "the 1/n_L is applied twice, a factor 1/n_L: delta^L = (1/n_L^2)(a^L - y) * "
            "sigma'(z^L)", "n_L"),
    Mistake("sign", "the error has the wrong sign: delta^L uses (y - a^L) instead of (a^L - y) (in code that adds "
            f"its step, W += eta * ..., the error a^L - y: the error's sign and the update's do not match{ON_PURPOSE})",
            "sign"),
    Mistake("output_error_a_twice", "a^L is subtracted twice in the output error: delta^L = (1/n_L)(2 a^L - y) * "
            "sigma'(z^L) where (1/n_L)(a^L - y) * sigma'(z^L) belongs (an error y - a^L handed to a layer that "
            "subtracts its output again: (y - a^L) - a^L)", "output error"),
    Mistake("output_error_uses_z", "the output error is taken from z^L, not a^L: delta^L = (1/n_L)(z^L - y) * "
            "sigma'(z^L) where (1/n_L)(a^L - y) * sigma'(z^L) belongs (a forward pass that returns the output "
            "layer's pre-activation, as for an identity output, with a sigmoid's sigma' in the backward pass)",
            "output error"),
    Mistake("output_error_mean_over_units", "the output error is averaged over the output units into one number: "
            "delta^L_j = (1/n_L) mean_k (a^L_k - y_k) * sigma'(z^L_j), where (1/n_L)(a^L_j - y_j) * sigma'(z^L_j) "
            "belongs (np.mean(a - y) used as dC/da, a scalar, where the per-unit error a - y belongs)", "output error"),
    Mistake("output_error_summed_over_units", "the output error is summed over the output units into one number: "
            "delta^L_j = (1/n_L) sum_k (a^L_k - y_k) * sigma'(z^L_j), where (1/n_L)(a^L_j - y_j) * sigma'(z^L_j) "
            "belongs (np.mean(a - y) used as dC/da, a scalar, where the cost's own (a - y)/n_L belongs: the mean "
            "cost's derivative written with np.mean, e.g. 2 * np.mean(y_pred - y_true) for MSE)", "output error"),
    Mistake("output_missing_sigma_prime", "sigma'(z^L) is missing from delta^L = (1/n_L)(a^L - y) * sigma'(z^L) "
            "(that is the cross-entropy cost's output error, not this cost's)", "output sigma'"),
    Mistake("output_sigma_prime_twice", "sigma'(z^L) is applied twice in delta^L: (1/n_L)(a^L - y) * sigma'(z^L) * "
            "sigma'(z^L), an error already multiplied by a^L (1 - a^L) multiplied by the derivative again (and that "
            "delta^L goes down the recurrence)", "output sigma'"),
    Mistake("sigma_prime_of_a", "sigma' is taken at a instead of z: sigma(a^l)(1 - sigma(a^l)) is used for "
            "sigma'(z^l) = a^l (1 - a^l)", "sigma'", form="of_a"),
    Mistake("hidden_sigma_prime_of_a", "sigma' is taken at a instead of z in the hidden layers only: delta^L uses "
            "sigma'(z^L) = a^L (1 - a^L), but the recurrence uses sigma(a^l)(1 - sigma(a^l)) for sigma'(z^l) (a "
            "sigma_prime(z) called with a^l where z^l belongs)", "sigma'", form="of_a", scope="hidden"),
    Mistake("output_sigma_prime_of_a", "sigma' is taken at a instead of z in the output layer only: delta^L uses "
            "sigma(a^L)(1 - sigma(a^L)) for sigma'(z^L) = a^L (1 - a^L) (a sigma_prime(z) called with the output "
            "a^L), the recurrence is right", "sigma'", form="of_a", scope="output"),
    Mistake("sigma_prime_of_z", "sigma' is written with the pre-activation: z^l (1 - z^l) is used for "
            "sigma'(z^l) = a^l (1 - a^l)", "sigma'", form="of_z"),
    Mistake("sigma_prime_first_unit", "every unit's sigma' is the first unit's: sigma'(z^l_j) = a^l_1 (1 - a^l_1) "
            "for every j, where a^l_j (1 - a^l_j) belongs (a loop over the rows of a column whose return sits "
            "inside it, after the first row, and a 1 x 1 result broadcast over the layer)", "sigma'",
            form="first_unit"),
    Mistake("sigma_prime_summed", "sigma'(z^l) is one number for the whole layer, the sum over its units sum_j "
            "a^l_j (1 - a^l_j), for every unit: an inner product np.matmul(a.T, 1 - a) where the element-by-element "
            "a * (1 - a) belongs (the same where every layer has one unit)", "sigma'", form="summed"),
    Mistake("dead_unit_shortcut", "sigma'(z^l) is set to 0 for saturated units (a^l < 0.01 or a^l > 0.99): it is "
            "small there, not zero", "sigma'", form="dead_units"),
    Mistake("hidden_missing_sigma_prime", "sigma'(z^l) is missing from the recurrence of every hidden layer: delta^l = "
            "(W^(l+1))^T delta^(l+1) instead of (W^(l+1))^T delta^(l+1) * sigma'(z^l)", "recurrence"),
    Mistake("hidden_uses_output_sigma_prime", "sigma'(z^(l+1)) of the layer above is applied again: delta^l = "
            "(W^(l+1))^T (delta^(l+1) * sigma'(z^(l+1))) * sigma'(z^l); delta^(l+1) already holds it",
            "recurrence"),
    Mistake("hidden_from_output_error", "the hidden error is propagated from the output error without sigma'(z^L): "
            "delta^(L-1) = (W^L)^T (1/n_L)(a^L - y) * sigma'(z^(L-1)) where (W^L)^T delta^L * sigma'(z^(L-1)) belongs "
            "(delta^L = (1/n_L)(a^L - y) * sigma'(z^L) is used for grad W^L, but the bare error is passed down)",
            "recurrence"),
    Mistake("hidden_error_from_activations", "the layer above's activations are sent down where its deltas belong: "
            "delta^l = (W^(l+1))^T (1/n_L) a^(l+1) * sigma'(z^l) where (W^(l+1))^T delta^(l+1) * sigma'(z^l) belongs "
            "(a neuron's 'output' read where its 'delta' belongs; the cost's constants as the error's)", "recurrence"),
    Mistake("hidden_error_unweighted", "the output error itself is sent down as the hidden error, through no "
            "weights and without sigma'(z^L): delta^(L-1) = (1/n_L)(a^L - y) * sigma'(z^(L-1)) where (W^L)^T delta^L "
            "* sigma'(z^(L-1)) belongs (a slip of names: the output error used where hidden_error = (W^L)^T delta^L "
            "was computed; the shapes agree only where n_L = 1, broadcast, or n_L = n_(L-1))", "recurrence",
            shape_bound=True),
    Mistake("hidden_delta_unweighted", "delta^L is sent down through no weights: delta^(L-1) = delta^L * "
            "sigma'(z^(L-1)) where (W^L)^T delta^L * sigma'(z^(L-1)) belongs (the product with W^L left out; the "
            "shapes agree only where n_L = 1, broadcast, or n_L = n_(L-1))", "W^T", shape_bound=True),
    Mistake("bare_error_recurrence", "the bare error is propagated at every level, sigma' never applied on the way "
            "down: e^l = (W^(l+1))^T e^(l+1) from e^L = (1/n_L)(a^L - y), and delta^l = e^l * sigma'(z^l) used only "
            "for grad W^l, grad b^l, where delta^l = (W^(l+1))^T delta^(l+1) * sigma'(z^l) belongs (pass delta down, "
            "not the error; at depth 2 this is hidden_from_output_error)", "recurrence"),
    Mistake("output_delta_at_every_level", "every hidden layer takes the output delta: delta^l = (W^(l+1))^T delta^L * "
            "sigma'(z^l) where (W^(l+1))^T delta^(l+1) belongs (a loop that reads delta[0], the output's, instead of "
            "the last one computed; the shapes agree only where n_(l+1) = n_L, elsewhere such code fails on the "
            "shapes)", "recurrence", shape_bound=True),
    Mistake("hidden_error_accumulator_not_reset", "a per-unit loop sums (W^(l+1))^T delta^(l+1) into an accumulator "
            "reset once per layer, not once per unit: delta^l_j = sigma'(z^l_j) sum_(i <= j) [(W^(l+1))^T "
            "delta^(l+1)]_i, a running sum, where the unit's own [(W^(l+1))^T delta^(l+1)]_j belongs", "recurrence"),
    Mistake("hidden_sigma_prime_of_error", "sigma' is taken of the propagated error: delta^l = e * e (1 - e) with "
            "e = (W^(l+1))^T delta^(l+1), where e * a^l (1 - a^l) belongs (a sigmoid derivative called on the error, "
            "nonlin(l1_error, deriv=True) for nonlin(l1, deriv=True))", "recurrence"),
    Mistake("W_not_transposed", "W^(l+1) is used where its transpose belongs: delta^l = W^(l+1) delta^(l+1) * "
            "sigma'(z^l) instead of (W^(l+1))^T delta^(l+1) * sigma'(z^l) (the shapes agree only on square layers, "
            "n_(l+1) = n_l; elsewhere such code fails on the shapes, but where n_(l+1) = 1 a broadcast form such as "
            "np.sum(W * delta, axis=1) gives every unit the row sum of W^(l+1) times delta^(l+1))", "W^T",
            shape_bound=True),
    Mistake("folded_slice_first", "code that folds b into W as its first column, [b W], drops the wrong column in "
            "the recurrence: delta^l = ([b W]^(l+1)[:, :-1])^T delta^(l+1) * sigma'(z^l), b^(l+1) and all but the last "
            "column of W^(l+1), where [:, 1:] (W^(l+1) itself) belongs", "W^T"),
    Mistake("folded_slice_last", "code that folds b into W as its last column, [W b], drops the wrong column in "
            "the recurrence: delta^l = ([W b]^(l+1)[:, 1:])^T delta^(l+1) * sigma'(z^l), all but the first column of "
            "W^(l+1) and b^(l+1), where [:, :-1] (W^(l+1) itself) belongs", "W^T"),
    Mistake("hidden_error_last_unit_only", "only the last output unit's error reaches the layer below: delta^l = "
            "(W^(l+1)[-1, :])^T delta^(l+1)[-1] * sigma'(z^l), where the sum over every unit k of W^(l+1)[k, :] "
            "delta^(l+1)[k] belongs (a loop that assigns, error = ..., where it adds, error += ...)", "recurrence"),
    Mistake("hidden_error_through_first_unit_weights", "every hidden unit's error goes back through the weights of "
            "the first unit: delta^l_j = sum_k W^(l+1)_k1 delta^(l+1)_k * sigma'(z^l_j) where W^(l+1)_kj belongs (a "
            "line written out per unit and copied without changing its weight, e.g. w5 left in the line of h2)",
            "W^T"),
    Mistake("hidden_error_through_last_unit_weights", "every hidden unit's error goes back through the weights of "
            "the last unit: delta^l_j = sum_k W^(l+1)_k,n_l delta^(l+1)_k * sigma'(z^l_j) where W^(l+1)_kj belongs "
            "(a line written out per unit and copied without changing its weight, e.g. w6 left in the line of h1)",
            "W^T"),
    Mistake("recurrence_own_weights", "the recurrence reads the receiving layer's own weights: delta^l = "
            "(W^l)^T delta^(l+1) * sigma'(z^l) where (W^(l+1))^T delta^(l+1) belongs (an index one short, W[l] for "
            "W[l + 1], or W[-rev] for W[-rev + 1]; the shapes agree only where n_l = n_(l+1) and n_(l-1) is n_l or "
            "1)", "W^T", shape_bound=True),
    Mistake("hidden_error_divided_by_m", "the error passed down is divided by the batch size m at every level: "
            "delta^l = (W^(l+1))^T delta^(l+1) / m * sigma'(z^l) (a layer's backward that divides the gradient it "
            "returns by m as well as its grad W and grad b): layer l's gradient is m^-(L-l) times the reference",
            "recurrence"),
    Mistake("hidden_error_times_width", "the error passed down is multiplied by the width n_l of the layer it "
            "reaches: delta^l = n_l (W^(l+1))^T delta^(l+1) * sigma'(z^l) (the error of the layer above copied into "
            "an (n_l, n_(l+1)) matrix, multiplied by W^(l+1) and summed over the copies, where one copy belongs)",
            "recurrence factor"),
    Mistake("folded_first_delta_slice", "code that folds b into W as its first column computes the hidden deltas over "
            "[1; a^l] and keeps the wrong slice, [:-1] for [1:]: the bias unit's delta (0, as sigma' of the constant 1 "
            "written 1 (1 - 1)) and all but the last unit's, so delta^l_j takes delta^l_(j-1) and delta^l_1 = 0",
            "recurrence"),
    Mistake("folded_last_delta_slice", "code that folds b into W as its last column computes the hidden deltas over "
            "[a^l; 1] and keeps the wrong slice, [1:] for [:-1]: all but the first unit's delta and the bias unit's "
            "(0), so delta^l_j takes delta^l_(j+1) and the last is 0", "recurrence"),
    Mistake("folded_first_delta_slice_of_z", "code that folds b into W as its first column computes the hidden "
            "deltas over [1; z^l], sigma' written of z, and keeps the wrong slice, [:-1] for [1:]: the bias unit's "
            "delta ((b^(l+1))^T delta^(l+1) times sigma'(1), sigma' of the constant 1 taken as a z) and all but the "
            "last unit's, so delta^l_j takes delta^l_(j-1) and delta^l_1 is the bias unit's", "recurrence"),
    Mistake("folded_last_delta_slice_of_z", "code that folds b into W as its last column computes the hidden "
            "deltas over [z^l; 1], sigma' written of z, and keeps the wrong slice, [1:] for [:-1]: all but the first "
            "unit's delta and the bias unit's ((b^(l+1))^T delta^(l+1) times sigma'(1), sigma' of the constant 1 "
            "taken as a z), so delta^l_j takes delta^l_(j+1) and the last is the bias unit's", "recurrence"),
    Mistake("folded_first_delta_slice_minus_one", "code whose bias unit is fed -1 (a threshold, --negated-bias), "
            "folded first, computes the hidden deltas over [-1; a^l], sigma' written a (1 - a), which is -2 at the "
            "unit, and keeps the wrong slice, [:-1] for [1:]: the bias unit's delta (2 (b^(l+1))^T delta^(l+1)) "
            "and all but the last unit's, so delta^l_j takes delta^l_(j-1) and delta^l_1 is the bias unit's",
            "recurrence"),
    Mistake("folded_last_delta_slice_minus_one", "code whose bias unit is fed -1 (a threshold, --negated-bias), "
            "folded last, computes the hidden deltas over [a^l; -1], sigma' written a (1 - a), which is -2 at the "
            "unit, and keeps the wrong slice, [1:] for [:-1]: all but the first unit's delta and the bias unit's "
            "(2 (b^(l+1))^T delta^(l+1)), so delta^l_j takes delta^l_(j+1) and the last is the bias unit's",
            "recurrence"),
    Mistake("hidden_error_through_activation", "the receiving unit's activation a^l_i is used where its weight "
            "W^(l+1)_ji belongs in the recurrence: delta^l_i = a^l_i (sum_j delta^(l+1)_j) * sigma'(z^l_i), where "
            "sum_j W^(l+1)_ji delta^(l+1)_j * sigma'(z^l_i) belongs (the weight's gradient, delta * h_i, written "
            "where delta * w_i belongs: d_o * h_1 * f'(z_h1) for d_o * w_o1 * f'(z_h1), in lines written out per "
            "unit)", "recurrence"),
    Mistake("hidden_error_last_unit_dropped", "the last unit of the layer above is left out of the error sum: "
            "delta^l = (W^(l+1)[:-1, :])^T delta^(l+1)[:-1] * sigma'(z^l), where the sum over every unit k of the "
            "layer above belongs (a loop over k in range(n - 1), one short)", "recurrence"),
    Mistake("hidden_deltas_zero", "the hidden deltas are never computed: every hidden layer's gradient is 0 and only "
            "the output layer's is right (a backward loop that starts one layer too low or stops after the output "
            "layer, its delta buffers left at their zeros)", "recurrence"),
    Mistake("hidden_sigma_prime_of_input", "the hidden layers' sigma' is taken of the layer's input a^(l-1) instead "
            "of its own output a^l: a^(l-1) (1 - a^(l-1)) for sigma'(z^l) = a^l (1 - a^l) (vectorised code runs only "
            "where n_(l-1) = n_l, a loop over the units j that reads a^(l-1)_j wherever n_(l-1) >= n_l; elsewhere "
            "such code fails on the shapes)", "sigma' of", shape_bound=True),
    Mistake("sigma_prime_of_input", "every layer's sigma' is taken of the layer's input a^(l-1) instead of its own "
            "output a^l: a^(l-1) (1 - a^(l-1)) for sigma'(z^l) = a^l (1 - a^l), the output layer's too (an index one "
            "short in a loop over the layers' activations, activations[l] for activations[l + 1]; vectorised code "
            "runs only where n_(l-1) is n_l or 1, and fails on the shapes elsewhere)", "sigma' of", shape_bound=True),
    Mistake("output_sigma_prime_of_input", "the output layer's sigma' is taken of its input a^(L-1) instead of its "
            "own output a^L: a^(L-1) (1 - a^(L-1)) for sigma'(z^L) = a^L (1 - a^L), the recurrence right (the shapes "
            "agree only where n_(L-1) is n_L or 1)", "sigma' of", shape_bound=True, scope="output"),
    Mistake("hidden_sigma_prime_of_layer_above", "the hidden layers' sigma' is taken of the layer above: "
            "a^(l+1) (1 - a^(l+1)) for sigma'(z^l) = a^l (1 - a^l) (e.g. deriv_sigmoid(sum_o1) for "
            "deriv_sigmoid(sum_h1); the shapes agree only where n_(l+1) = n_l or 1)", "sigma' of", shape_bound=True),
    Mistake("sigma_prime_applied_above", "the recurrence applies sigma' of the layer above where the layer's own "
            "belongs: delta^l = (W^(l+1))^T (delta^(l+1) * sigma'(z^(l+1))), sigma'(z^(l+1)) applied a second time and "
            "sigma'(z^l) left out, where (W^(l+1))^T delta^(l+1) * sigma'(z^l) belongs (the derivative matrices "
            "indexed one layer up)", "recurrence"),
    Mistake("output_sigma_prime_of_error", "the output sigma' is taken of the error e = y - a^L: e (1 - e) for "
            "sigma'(z^L) = a^L (1 - a^L) (a derivative helper called with the error, derfun(error) for "
            "derfun(output))", "output sigma'"),
    Mistake("output_bias_mean_twice", "grad b^L of the output layer alone is divided by m twice (a mean over a "
            "delta already divided by m, np.mean for np.sum), a factor 1/m in grad b^L alone", "batch"),
    Mistake("deep_skips_sigma_prime", "the recurrence carries dC/da^l from dC/da^(l+1) instead of from delta^(l+1): "
            "g^(l-1) = (W^l)^T g^l where (W^l)^T delta^l belongs (wrong from layer L-2 down)", "recurrence"),
    Mistake("folded_first_input_bias_last", "code that folds b into W as its first column, [b W], puts the bias unit "
            "last in the gradient's input: grad [b W]^l = delta^l [a^(l-1); 1]^T where delta^l [1; a^(l-1)]^T belongs "
            "(the forward pass prepends the 1, the backward pass appends it): every column of the folded gradient is "
            "one to the left of its own", "grad W"),
    Mistake("folded_last_input_bias_first", "code that folds b into W as its last column, [W b], puts the bias unit "
            "first in the gradient's input: grad [W b]^l = delta^l [1; a^(l-1)]^T where delta^l [a^(l-1); 1]^T belongs "
            "(the forward pass appends the 1, the backward pass prepends it): every column of the folded gradient is "
            "one to the right of its own", "grad W"),
    Mistake("x_folded_first_bias_last", "code that folds b into W as its first column puts the bias unit last in layer "
            "1's gradient input only: grad [b W]^1 = delta^1 [x; 1]^T where delta^1 [1; x]^T belongs (the input x "
            "augmented on its own, at the other end from the forward pass), the other layers right", "grad W"),
    Mistake("x_folded_last_bias_first", "code that folds b into W as its last column puts the bias unit first in layer "
            "1's gradient input only: grad [W b]^1 = delta^1 [1; x]^T where delta^1 [x; 1]^T belongs (the input x "
            "augmented on its own, at the other end from the forward pass), the other layers right", "grad W"),
    Mistake("gradW_uses_sigma_of_activation", "grad W^l = delta^l (a^(l-1))^T is computed with sigma applied again to "
            "the activation below, delta^l (sigma(a^(l-1)))^T, in every layer above the first (sigmoid(y_hidden) "
            "where y_hidden is already sigmoid'ed); grad b^l is right", "grad W"),
    Mistake("folded_sigma_of_activation", "code that folds b into W computes grad [b W]^l with sigma applied again to "
            "its input [1; a^(l-1)], in every layer above the first: grad W^l = delta^l (sigma(a^(l-1)))^T and grad "
            "b^l = sigma(1) delta^l = 0.731 delta^l (the bias unit's 1 through sigma too)", "grad W"),
    Mistake("gradW_before_sigma_prime", "grad W^l takes the error before sigma'(z^l) is applied: dC/da^l (a^(l-1))^T, "
            "with dC/da^l = (W^(l+1))^T delta^(l+1) and (1/n_L)(a^L - y) at the output, where delta^l (a^(l-1))^T "
            "belongs (grad b^l and the recurrence use delta^l and are right; in layer objects, dW from the output "
            "gradient, not the activation's)", "grad W"),
    Mistake("gradW_sigma_prime_of_a", "grad W^l takes sigma' at a instead of z: dC/da^l * sigma(a^l)(1 - sigma(a^l)) "
            "(a^(l-1))^T where delta^l (a^(l-1))^T belongs, with dC/da^l = (W^(l+1))^T delta^(l+1) (code that writes "
            "the delta out again on the gradient's line); grad b^l and the recurrence use delta^l and are right",
            "grad W"),
    Mistake("gradW_uses_receiving_activation", "grad W^l is computed with the receiving unit's activation: "
            "grad W^l_jk = delta^l_j a^l_j for every input k, where delta^l_j a^(l-1)_k belongs (a per-unit loop "
            "that reads neurons[l][j] for neurons[l-1][k]); grad b^l and the deltas right", "grad W"),
    Mistake("targets_pm1_to_01", "the targets are mapped from {-1, 1} to {0, 1}, y -> (y + 1)/2, wherever every "
            "target rounds to -1 or 1 (a label conversion, np.round(y) in {-1, 1}, that also fires on ordinary "
            "targets such as 0.7): the step descends the cost of other targets there", "targets"),
    Mistake("input_squashed", "the network's input goes through sigma before layer 1: z^1 = W^1 sigma(x) + b^1, "
            "and grad W^1 = delta^1 (sigma(x))^T, where z^1 = W^1 x + b^1 belongs (sigma applied to the input "
            "layer too, e.g. a forward loop that squashes every layer's input, x included)", "input"),
    Mistake("hidden_fed_z", "each hidden layer hands z, not a = sigma(z), to the layer above in the forward pass: "
            "z^l = W^l z^(l-1) + b^l where W^l a^(l-1) + b^l belongs (l >= 2), while the backward pass reads "
            "a^(l-1) = sigma(z^(l-1)) and sigma'(z^l) of those z (a forward loop that sets x = W x + b and keeps "
            "sigma(x) apart, for the backward pass only)", "forward"),
    Mistake("bias_not_in_forward", "the forward pass leaves b^l out: z^l = W^l a^(l-1) where W^l a^(l-1) + b^l "
            "belongs (the + b forgotten), while grad b^l = delta^l of that pass is still applied (a net meant to have "
            "no bias in its forward pass is declared so with --no-bias-in)", "forward"),
    Mistake("x_through_sigma_in_gradW", "grad W^1 is computed with sigma applied to the input: delta^1 "
            "(sigma(x))^T where delta^1 x^T belongs (code that keeps each layer's z and reads activations as "
            "sigma(z), the input x too); the other layers and every grad b right", "grad W^1"),
    Mistake("gradW_last_input_skipped", "the last column of grad W^l is 0: a loop over the layer's inputs one short "
            "(range(n_(l-1) - 1)), so the weights from the last input unit never learn; the rest right", "grad W"),
    Mistake("gradW_first_input_skipped", "the first column of grad W^l is 0: a loop over the layer's inputs that "
            "starts at 1 (as if index 0 were a bias unit), so the weights from the first input unit never learn; "
            "the rest right", "grad W"),
    Mistake("gradient_left_zero", "grad W^l and grad b^l are left at 0: a backward loop that never visits the layer "
            "(range(L - 1, 1, -1) for range(L - 1, 0, -1): layer 1), its buffers left at their zeros (in every layer "
            "at once, also sigma' written a * 1 - a or sigma(z) / 1.0 - sigma(z), an operator-precedence slip: 0, "
            "and every delta with it)", "grad W"),
    Mistake("transpose_gradW", "grad W^l is computed transposed: a^(l-1) (delta^l)^T where delta^l (a^(l-1))^T "
            "belongs (the shapes agree only on square layers, n_l = n_(l-1); elsewhere such code fails on the "
            "shapes)", "grad W", shape_bound=True),
    Mistake("gradW_batch_transposed", "grad W^l is computed with the layer's input activations transposed, the "
            "batch's examples read as units: grad W^l_jk = sum_i delta^l_ij A^(l-1)_ki where sum_i delta^l_ij "
            "A^(l-1)_ik belongs (np.dot(delta.T, A.T) for np.dot(delta.T, A) on rows A (m, n_(l-1)); it runs only "
            "where the batch size m equals n_(l-1), and such code raises elsewhere)", "grad W", shape_bound=True),
    Mistake("gradW_uses_z", "grad W^l = delta^l (a^(l-1))^T is computed with the pre-activation z^(l-1) "
            "where a^(l-1) belongs (layer 1 uses x, so it is right)", "grad W"),
    Mistake("gradW_uses_next_activation", "grad W^l = delta^l (a^(l-1))^T is computed with the activation of the "
            "layer above, a^(l+1), in the hidden layers (an index off by two, e.g. activations[-l+1] for "
            "activations[-l-1]; the shapes agree only where n_(l+1) = n_(l-1), elsewhere grad W^l has the wrong shape)",
            "grad W", shape_bound=True),
    Mistake("gradW_uses_activation_below", "grad W^l = delta^l (a^(l-1))^T is computed with the activation two "
            "layers down, a^(l-2) (x at layer 2), from layer 2 up (an index off by one, e.g. X where the hidden "
            "activation belongs in the output layer's update; the shapes agree only where n_(l-2) = n_(l-1), "
            "elsewhere grad W^l has the wrong shape)", "grad W", shape_bound=True),
    Mistake("gradW_uses_input", "grad W^l = delta^l (a^(l-1))^T is computed with the network's input x at every "
            "layer from 2 up, where that layer's input a^(l-1) belongs (a per-neuron update written for layer 1, "
            "inputs = x never replaced by the layer below's outputs for l > 1: where n_0 < n_(l-1) the weights past "
            "n_0 do not move, where n_0 > n_(l-1) such code raises or reads only x's first n_(l-1) entries)",
            "grad W"),
    Mistake("gradW_uses_weight", "grad W^l is delta^l times W^l itself where the layer's input belongs: grad "
            "W^l_jk = delta^l_j W^l_jk (summed over the batch) for delta^l_j a^(l-1)_k (the weight written where its "
            "input belongs, dC/dw = delta * w)", "grad W"),
    Mistake("gradW_elementwise", "grad W^l is the element-by-element product delta^l * a^(l-1) where the outer "
            "product delta^l (a^(l-1))^T belongs, every row of grad W^l the same: grad W^l_jk = delta^l_k a^(l-1)_k "
            "(summed over the batch) for delta^l_j a^(l-1)_k (a * where np.outer belongs, its vector broadcast onto "
            "the rows of W^l by W -= eta * g; the shapes agree only where n_l = n_(l-1), elsewhere such code raises)",
            "grad W", shape_bound=True),
    Mistake("gradW_uses_own_activation", "grad W^l = delta^l (a^(l-1))^T is computed with the layer's own "
            "activation a^l (an index off by one, activations[l] for activations[l - 1]; the shapes agree only where "
            "n_l = n_(l-1), elsewhere grad W^l has the wrong shape)", "grad W", shape_bound=True),
    Mistake("layers_reversed", "the gradients come back in reverse layer order, output layer first: grad W^L, "
            "grad b^L where grad W^1, grad b^1 belongs (the shapes agree only where the layer sizes read the same both "
            "ways; if that order is your convention, declare it with --grads-reversed)", "order", shape_bound=True),
    Mistake("backward_in_forward_order", "the backward loop runs over the layers in forward order, l = 1..L (a "
            "reversed() left out): layer 1 takes dC/da^L as its dC/da^1 and passes (W^1)^T delta^1 up to layer 2, "
            "where delta^L = (1/n_L)(a^L - y) * sigma'(z^L) starts at the top and goes down (the shapes chain only "
            "where n_L = n_1, n_0 = n_2, n_1 = n_3, ...; elsewhere such code fails on the shapes)", "order",
            shape_bound=True),
    Mistake("n_L_for_m", "the batch mean divides by n_L, the number of output units, where the batch size m "
            "belongs (y.shape[1] for y.shape[0]): a factor m / n_L", "batch"),
    Mistake("n_0_for_m", "the batch mean divides by n_0, the input width, where the batch size m belongs "
            "(X.shape[0] read as m where the examples are X's columns, or x.size): a factor m / n_0", "batch"),
    Mistake("sum_not_mean", "the batch is summed, not averaged, a factor m (m times the reference): a batch's "
            "gradient is the MEAN of its examples' gradients (1/m sum_i)", "batch"),
    Mistake("mean_twice", "the batch mean divides by m twice (1/m^2 sum_i), a factor 1/m", "batch"),
    Mistake("bias_summed", "grad b^l is summed over the batch while grad W^l is averaged, a factor m in every grad "
            "b^l alone: grad b^l = (1/m) sum_i delta^l_i, divided by m like grad W^l", "batch"),
    Mistake("bias_mean_twice", "grad b^l is divided by m twice (averaged over a delta already divided by m) "
            "while grad W^l is averaged once, a factor 1/m in every grad b^l alone (under a declared --scale with m "
            "in it, a summed cost: grad b^l averaged, np.mean, while grad W^l is summed)", "batch"),
    Mistake("weights_summed", "grad W^l is summed over the batch while grad b^l is averaged, a factor m in every "
            "grad W^l alone (its 1/m, or /N, left out of the weights' line): grad W^l = (1/m) sum_i delta^l_i "
            "(a^(l-1)_i)^T, divided by m like grad b^l", "batch"),
    Mistake("weights_mean_twice", "grad W^l is divided by m twice (averaged over a delta already divided by m, or "
            "divided again in the update) while grad b^l is averaged once, a factor 1/m in every grad W^l alone "
            "(under a declared --scale with m in it, a summed cost: grad W^l averaged while grad b^l is summed)",
            "batch"),
    Mistake("batch_last_example_only", "only the batch's last example counts: the per-example loop overwrites "
            "the gradient instead of adding to it", "batch"),
    Mistake("bias_last_example_only", "grad b^l is the batch's last example's delta^l alone (divided by m like "
            "grad W^l): a per-example loop assigns the bias gradient (nabla_b = delta) where it adds to it "
            "(nabla_b += delta), while grad W^l sums every example", "bias rows"),
    Mistake("weights_last_example_only", "grad W^l is the batch's last example's delta^l (a^(l-1))^T alone (divided "
            "by m like grad b^l): a per-example loop assigns the weights' gradient (delta_w = ...) where it adds to "
            "it (delta_w += ...), while grad b^l sums every example", "weight rows"),
    Mistake("bias_first_example_only", "grad b^l is the batch's first example's delta^l alone (divided by m like "
            "grad W^l): delta[0], one row of the batch's deltas, where their sum belongs, while grad W^l sums every "
            "example (code written for one example and run on a batch)", "bias rows"),
    Mistake("batch_last_example_over_m", "only the batch's last example counts, divided by m: a per-example loop that "
            "assigns each example's gradient / m (=) where it adds it (+=): (1/m) grad_last where (1/m) sum_i grad_i "
            "belongs (the 1/m is right; the = is the mistake)", "batch"),
    Mistake("batch_first_example_only", "only the batch's first example counts: x[0], y[0] is used where the "
            "whole batch belongs", "batch"),
    Mistake("sigma_prime_is_sigma_of_a", "sigma(a^l) is used for sigma'(z^l) = a^l (1 - a^l) in every layer: the "
            "activation function where its derivative belongs (nonlin(l1) for nonlin(l1, deriv=True))", "sigma'",
            form="sigma_of_a"),
    Mistake("sigma_prime_is_a", "a^l = sigma(z^l) is used for sigma'(z^l) = a^l (1 - a^l) in every layer: a "
            "derivative that returns the activation itself (the forward value, the (1 - a) factor left out)", "sigma'",
            form="a"),
    Mistake("sigma_prime_a_one_minus_z", "sigma(z^l)(1 - z^l) is used for sigma'(z^l) = sigma(z^l)(1 - sigma(z^l)) "
            "in every layer: the second sigma dropped (sigmoid(z) * (1 - z) for sigmoid(z) * (1 - sigmoid(z)))",
            "sigma'", form="a_one_minus_z"),
    Mistake("sigma_prime_sigma_of_one_minus_z", "sigma(z^l) sigma(1 - z^l) is used for sigma'(z^l) = sigma(z^l)(1 - "
            "sigma(z^l)) in every layer: the 1 - moved inside the second sigma (sigmoid(z) * sigmoid(1 - z) for "
            "sigmoid(z) * (1 - sigmoid(z)))", "sigma'", form="sigma_of_one_minus_z"),
    Mistake("sigma_prime_tanh_form", "tanh's derivative 1 - (a^l)^2 is used for sigma'(z^l) = a^l (1 - a^l) in every "
            "layer (a derivative helper written for tanh, 1 - a**2, kept with the sigmoid)", "sigma'", form="tanh"),
    Mistake("sigma_prime_one_minus_a", "(1 - a^l) is used for sigma'(z^l) = a^l (1 - a^l) in every layer: the factor "
            "a^l dropped", "sigma'", form="one_minus_a"),
    Mistake("hidden_sigma_prime_one_minus_a", "(1 - a^l) is used for sigma'(z^l) = a^l (1 - a^l) in the hidden layers "
            "only (the factor a^l dropped in the recurrence), delta^L is right", "sigma'", form="one_minus_a",
            scope="hidden"),
    Mistake("sigma_prime_one_plus_a", "a^l (1 + a^l) is used for sigma'(z^l) = a^l (1 - a^l) in every layer: the "
            "sign inside the derivative flipped (s * (1 + s) for s * (1 - s))", "sigma'", form="one_plus_a"),
    Mistake("hidden_sigma_prime_one_plus_a", "a^l (1 + a^l) is used for sigma'(z^l) = a^l (1 - a^l) in the hidden "
            "layers only (the sign inside the derivative flipped in the recurrence, s * (1 + s) for s * (1 - s)), "
            "delta^L is right", "sigma'", form="one_plus_a", scope="hidden"),
    Mistake("sigma_prime_negated", "a^l (a^l - 1) = -sigma'(z^l) is used for sigma'(z^l) = a^l (1 - a^l) in every "
            "layer: the derivative's sign flipped (s * (s - 1) for s * (1 - s)), so each layer's gradient has the "
            "sign of the one above it flipped again", "sigma'", form="negated"),
    Mistake("hidden_sigma_prime_negated", "a^l (a^l - 1) = -sigma'(z^l) is used for sigma'(z^l) = a^l (1 - a^l) in "
            "the hidden layers only (the recurrence's derivative with its sign flipped, s * (s - 1) for s * (1 - s)), "
            "delta^L is right", "sigma'", form="negated", scope="hidden"),
    Mistake("hidden_sigma_prime_tanh_form", "tanh's derivative 1 - (a^l)^2 is used for sigma'(z^l) = a^l (1 - a^l) "
            "in the hidden layers only (a derivative helper written for tanh, 1 - a**2, called in the backward loop), "
            "delta^L is right", "sigma'", form="tanh", scope="hidden"),
    Mistake("hidden_sigma_prime_is_a", "sigma(z^l) = a^l is used for sigma'(z^l) = a^l (1 - a^l) in the hidden layers "
            "only: the activation function where its derivative belongs in the recurrence (f(z) for fprime(z)), "
            "delta^L is right", "sigma'", form="a", scope="hidden"),
    Mistake("hidden_sigma_prime_is_sigma_of_a", "sigma(a^l) is used for sigma'(z^l) = a^l (1 - a^l) in the hidden "
            "layers only: the activation function where its derivative belongs in the recurrence (l1_delta = "
            "l1_error * nonlin(l1)), delta^L is right", "sigma'", form="sigma_of_a", scope="hidden"),
    Mistake("bias_summed_over_units", "grad b^l sums delta^l over the layer's units: every grad b^l_j = sum_k "
            "delta^l_k, where grad b^l_j = delta^l_j (np.sum(delta) with no axis, or axis=1 on rows, for the sum over "
            "the batch, axis=0): every b_j moves by the same amount", "grad b"),
    Mistake("bias_summed_by_example", "grad b^l sums each example's delta^l over the layer's units (np.sum(delta, "
            "axis=1) on rows (m, n_l), or axis=0 on columns (n_l, m), where the sum over the batch belongs): the m "
            "sums land on b^l, so grad b^l_j is example j's sum_k delta^l_k where m = n_l, every b_j the same sum "
            "where m = 1, and a batch of another size raises", "grad b", shape_bound=True),
    Mistake("bias_from_delta_above", "grad b^l of a hidden layer is the delta of the layer above, delta^(l+1) summed "
            "over the batch, where delta^l belongs (the bias line copied from the layer above: db1 = np.sum(dZ2) for "
            "np.sum(dZ1)); it runs only where n_(l+1) is n_l or 1 (broadcast onto b^l), and grad W^l is right",
            "grad b", shape_bound=True),
    Mistake("bias_averaged_over_units", "grad b^l averages delta^l over the layer's units: every grad b^l_j = "
            "mean_k delta^l_k, one number for the whole layer, where grad b^l_j = delta^l_j (np.mean(delta) with no "
            "axis)", "grad b"),
    Mistake("bias_times_last_input", "grad b^l is multiplied by the layer's last input: delta^l a^(l-1)_(n_(l-1)) "
            "where delta^l belongs (the bias treated as one more weight, its input read at index -1, e.g. "
            "inputs[-1], where the constant 1 belongs)", "grad b"),
    Mistake("bias_times_input_sum", "grad b^l is multiplied by the sum of the layer's inputs: delta^l sum_k "
            "a^(l-1)_k where delta^l belongs (the bias's step taken as the sum of its row of the weights' step, "
            "e.g. np.sum(del_w, axis=0) of a row-layout (n_(l-1), n_l) del_w)", "grad b"),
    Mistake("bias_sign", "grad b^l has the wrong sign: -delta^l where delta^l belongs (grad W^l and the deltas right)",
            "grad b"),
    Mistake("bias_input_zero", "grad b^l is 0, so the bias never learns (its line left out, or the bias unit of a "
            "folded input written 0 where 1 belongs); grad W^l and the deltas are right", "grad b"),
    Mistake("bias_unit_zero", "the bias never enters the forward pass and grad b^l is 0: a folded input's bias unit "
            "written 0 where 1 belongs (np.zeros for np.ones), so z^l = W^l a^(l-1) and grad b^l = delta^l * 0; "
            "grad W^l is the gradient of that net without biases", "grad b"),
    Mistake("bias_before_sigma_prime", "grad b^l is the error before sigma'(z^l) is applied: dC/da^l = (W^(l+1))^T "
            "delta^(l+1), and (1/n_L)(a^L - y) at the output, where delta^l = dC/da^l * sigma'(z^l) belongs (grad W^l "
            "uses delta^l and is right)", "grad b"),
    Mistake("output_update_before_sigma_prime", "the output layer's update takes the error without sigma'(z^L): "
            "grad W^L = (1/n_L)(a^L - y) (a^(L-1))^T and grad b^L = (1/n_L)(a^L - y), while the delta sent down "
            "holds it, (W^L)^T delta^L with delta^L = (1/n_L)(a^L - y) * sigma'(z^L) (the output's update line "
            "written apart from the hidden line, which computes its own delta^L)", "grad W", scope="output"),
    Mistake("bias_sigma_prime_of_a", "grad b^l takes sigma' at a instead of z: dC/da^l * sigma(a^l)(1 - sigma(a^l)) "
            "where delta^l belongs (code that writes the delta out again on the bias's line); grad W^l and the "
            "recurrence use delta^l and are right", "grad b"),
    Mistake("divides_by_fan_in", "each layer's gradient is divided by n_(l-1), the width of the layer below (its "
            "input's length), where the batch size m belongs (e.g. m = A_prev.shape[0] on a column-major A_prev): "
            "a batch's gradient is the mean over its m examples", "batch"),
    Mistake("divides_by_own_width", "each layer's gradient is divided by n_l, the layer's own width (the length of "
            "its delta), where the batch size m belongs (e.g. m = delta.shape[1] on a row-major delta of shape (m, "
            "n_l), for delta.shape[0]): a batch's gradient is the mean over its m examples", "batch"),
    Mistake("weights_divided_by_fan_in", "grad W^l alone is divided by n_(l-1), the width of the layer below (its "
            "input's length), where the batch size m belongs (e.g. dW = dz @ a.T / a.shape[0] on a column-major a of "
            "shape (n_(l-1), m), for a.shape[1]), grad b^l divided by m: a factor m / n_(l-1) in grad W^l",
            "batch"),
    Mistake("hidden_sigma_prime_of_z", "sigma' is written with the pre-activation in the hidden layers only: "
            "z^l (1 - z^l) is used for sigma'(z^l) = a^l (1 - a^l) in the recurrence, delta^L is right", "sigma'",
            form="of_z", scope="hidden"),
    Mistake("first_hidden_missing_sigma_prime", "sigma'(z^1) is missing from the first hidden layer's delta only: "
            "delta^1 = (W^2)^T delta^2 instead of (W^2)^T delta^2 * sigma'(z^1), every other layer's is right (code "
            "that writes each layer's line out and drops one factor)", "recurrence", form="one", scope="first_hidden"),
    Mistake("top_hidden_missing_sigma_prime", "sigma'(z^(L-1)) is missing from the delta of the hidden layer below "
            "the output only: delta^(L-1) = (W^L)^T delta^L instead of (W^L)^T delta^L * sigma'(z^(L-1)), every "
            "other layer's is right", "recurrence", form="one", scope="top_hidden"),
    Mistake("sigma_exp_overflow", "sigma' (and sigma, or not) are written with exp(-z): for z < -88.7 (float32) or "
            "-709.8 (float64) exp(-z) overflows and sigma'(z) = exp(-z)/(1 + exp(-z))^2 is inf/inf = NaN; write sigma "
            "in the two-branch form (exp(-|z|)) or as 1/2 + tanh(z/2)/2, and sigma' = a(1 - a)", "sigma form",
            form="exp"),
    Mistake("float32_inside", "the gradient is computed in float32 and cast back: a float64 gradient with "
            "float32 precision (the dtype in is the dtype to compute in)", "precision", "float32"),
    Mistake("biases_rounded_to_float32", "the biases are rounded to float32 in the forward pass (an astype or "
            "np.float32 array of b^l), the rest computed in float64: z^l = W^l a^(l-1) + float32(b^l), so a "
            "float64 gradient is off by about 1e-8 relative; keep b^l in the parameters' dtype", "precision"),
)}

# Code written out layer by layer makes a mistake on one line, so at one layer: these mistakes of one layer's
# equation also stand at one layer l alone (the others right), as ``{key}_at_layer_{l}``; tried only where no
# mistake of the whole network reproduces a case (``Trial.explain``).
ONE_LAYER_SLOTS = ("sigma'", "sigma' of", "recurrence", "W^T", "grad W", "grad b", "weight rows", "bias rows")
WHOLE_NETWORK = frozenset({"bare_error_recurrence", "deep_skips_sigma_prime", "hidden_from_output_error",
                           "hidden_error_unweighted", "hidden_delta_unweighted",
                           "hidden_deltas_zero", "sigma_exp_overflow", "dead_unit_shortcut",
                           "sigma_prime_of_input"})
MAX_ONE_LAYER = 8
HIDDEN_LAYERS = 0                        # Mistake.layer of a variant made in every hidden layer, the output right
OUTPUT_LAYER = -1                        # Mistake.layer of a variant made in the output layer L alone, whatever L is
# The batch mean of one array written apart from the others': a factor m or 1/m in grad W^l or grad b^l alone, or
# in both where one layer's lines are written apart from the other layers' (a folded W's one line, say).
BATCH_FACTORS = {"weights_summed": (1, 0), "weights_mean_twice": (-1, 0), "bias_summed": (0, 1),
                 "bias_mean_twice": (0, -1), "sum_not_mean": (1, 1),
                 "mean_twice": (-1, -1)}     # key -> (power of m on grad W^l, on grad b^l)
FAN_IN_FACTOR = "weights_divided_by_fan_in"    # a factor m / n_(l-1) in grad W^l, written apart at one layer too
_LOCAL = {k: m for k, m in CATALOGUE.items() if (m.slot in ONE_LAYER_SLOTS and m.scope == "all"
          and k not in WHOLE_NETWORK and not k.startswith("x_")) or k in BATCH_FACTORS or k == FAN_IN_FACTOR}
def _apart(text: str) -> str:
    """A catalogued mistake's text for a variant made at some layers alone: without its own "in every layer", and
    without a closing "(in every layer at once, ...)" that reads the whole network's form."""
    text = text.split(" (in every layer at once")[0]
    return text.replace(" in every layer:", ":").replace(" in every layer (", " (")


ONE_LAYER: dict[str, Mistake] = {
    **{f"{k}_at_layer_{l}": m._replace(key=f"{k}_at_layer_{l}", base=k, layer=l,
                                        text=f"at layer {l} alone, every other layer right: {_apart(m.text)}")
       for k, m in _LOCAL.items() for l in range(1, MAX_ONE_LAYER + 1)},
    **{f"{k}_hidden_layers": m._replace(key=f"{k}_hidden_layers", base=k, layer=HIDDEN_LAYERS,
                                         text=f"in every hidden layer, the output layer's right (computed apart): "
                                              f"{_apart(m.text)}")
       for k, m in _LOCAL.items() if m.slot in ("grad W", "grad b") or k in BATCH_FACTORS or k == FAN_IN_FACTOR},
    **{f"{k}_output_layer": m._replace(key=f"{k}_output_layer", base=k, layer=OUTPUT_LAYER,
                                        text=f"in the output layer L alone, whatever L is, the hidden layers' "
                                             f"equations right: {_apart(m.text)}")
       for k, m in _LOCAL.items() if f"output_{k}" not in CATALOGUE}}


def distinct_lines(keys) -> bool:
    """Mistakes that code can make at once, one per line: each of another equation (slot), or of one equation at two
    different layers alone (``ONE_LAYER`` variants at layer numbers: two layers' lines written out apart)."""
    where = [(mistake(k).slot, m.layer if (m := mistake(k)).layer and m.layer > 0 else None) for k in keys]
    return len(set(where)) == len(where) and all(
        layer is not None and other is not None for n, (slot, layer) in enumerate(where)
        for slot2, other in where[n + 1:] if slot2 == slot)


def mistake(key: str) -> Mistake:
    """The catalogued mistake ``key``: of ``CATALOGUE``, or a ``ONE_LAYER`` variant."""
    return CATALOGUE[key] if key in CATALOGUE else ONE_LAYER[key]


def _acts_at(m: Mistake, layer: int, L: int) -> bool:
    """Whether the ``ONE_LAYER`` variant ``m`` acts on layer ``layer`` (1..L) of an L-layer net."""
    return m.layer == layer or (m.layer == HIDDEN_LAYERS and layer < L) or (m.layer == OUTPUT_LAYER and layer == L)


def _per_layer(keys: frozenset[str], L: int):
    """layer -> the mistakes of ``keys`` acting at that layer (1..L): the whole network's, and the base key of each
    ``ONE_LAYER`` variant at its own layer (every hidden one for ``HIDDEN_LAYERS``)."""
    whole = frozenset(k for k in keys if k in CATALOGUE)
    local = [ONE_LAYER[k] for k in keys if k in ONE_LAYER]
    if not local:
        return lambda layer: whole
    return lambda layer: whole | {m.base for m in local if _acts_at(m, layer, L)}


# Mistakes whose overflow depends on the dtype (exp(-z), z(1 - z), e^2 (1 - e)): computed in it.
_DTYPE_BOUND = {"sigma_exp_overflow", "sigma_prime_of_z", "hidden_sigma_prime_of_z", "hidden_sigma_prime_of_error"}
DTYPE_BOUND = frozenset(_DTYPE_BOUND | {k for k, m in ONE_LAYER.items() if m.base in _DTYPE_BOUND})
IN_CASE_DTYPE = "in_case_dtype"    # not a mistake: the other keys recomputed in the case's dtype (is an overflow
                                   # theirs there, not sigma written with exp(-z)'s?)
# A mistake confined to one hidden layer is its all-hidden-layers kin where the net has one hidden layer: where both
# reproduce, the kin is named (the one statement, not two of the same thing). Key -> its broader kin(s).
BROADER = {"first_hidden_missing_sigma_prime": ("hidden_missing_sigma_prime",),
           "hidden_sigma_prime_of_input": ("sigma_prime_of_input",),           # where the output's changes nothing
           "output_sigma_prime_of_input": ("sigma_prime_of_input",),           # (n_(L-1) < n_L), or at depth 1
           "top_hidden_missing_sigma_prime": ("hidden_missing_sigma_prime",),
           "n_L_for_m": ("sum_not_mean",),      # the same where n_L = 1 on every case: the simpler reading
           "sigma_prime_negated": ("sign",),    # the same where every case has depth 1
           "bare_error_recurrence": ("hidden_from_output_error",),   # the same at depth 2, where both reproduce:
           #                         named once (rounds 36-44 read the two bullets as two bugs, or as doubt)
           **{k: kin for k, m in ONE_LAYER.items() if m.layer > 0 and (kin := tuple(
               f"{m.base}_{where}" for where in ("hidden_layers", "output_layer")
               if f"{m.base}_{where}" in ONE_LAYER))}}
# (layer l alone is the hidden layers' kin where only one is hidden, the output layer's where l = L: named so)
for _k in ("bias_summed_by_example", *(k for k in ONE_LAYER if k.startswith("bias_summed_by_example_"))):
    BROADER[_k] = (*BROADER.get(_k, ()), _k.replace("summed_by_example", "summed_over_units"))
# (on m = 1 the per-example sum over the units is the sum over the units: that simpler reading is named there)
for _k in ("gradW_uses_activation_below", *(k for k in ONE_LAYER if k.startswith("gradW_uses_activation_below_"))):
    if (_kin := _k.replace("activation_below", "input")) in {**CATALOGUE, **ONE_LAYER}:
        BROADER[_k] = (*BROADER.get(_k, ()), _kin)
# (at depth 2 a^(l-2) is x: x at every layer from 2 up reproduces it, and also where n_0 != n_1, so it is named)
for _k, _m in ONE_LAYER.items():          # one layer's mistake that the whole network's reproduces too, or (layer 1)
    if _m.layer > 0:                      # the hidden layers' or the first hidden one's, or the top hidden one's:
        _kin = (f"top_{_m.base}", *((f"hidden_{_m.base}", f"first_{_m.base}") if _m.layer == 1 else ()))
        BROADER[_k] = (*BROADER.get(_k, ()), _m.base, *(k for k in _kin if k in CATALOGUE))
# (that one is named: at depth 2, z (1 - z) at layer 1 alone is hidden_sigma_prime_of_z; at depth 3, a hidden
# mistake at layer 2 alone is its top_hidden_ form)
# Where every case diagnosed has depth 1 (one layer, the output), a mistake of the output layer alone is the whole
# network's, and the output's update without sigma' is its delta without it: named once, as the broader (round 52's
# nagesh and round 55's arslanex read one bug under two names as doubt). At depth 2 and more the two may be told
# apart by no case drawn, and both are said (round 33's xorbp_m3 at --sizes 2-2-1).
DEPTH_ONE_BROADER = {"output_update_before_sigma_prime": ("output_missing_sigma_prime",),
                     "gradW_before_sigma_prime": ("output_missing_sigma_prime",),
                     "gradW_sigma_prime_of_a": ("sigma_prime_of_a",)}
for _k, _m in [*CATALOGUE.items(), *ONE_LAYER.items()]:   # the output layer's form of a mistake: the whole network's
    _base = _k[len("output_"):] if _m.scope == "output" and _k.startswith("output_") else (
        _m.base if _m.layer == OUTPUT_LAYER else None)
    if _base in CATALOGUE and _base not in BROADER.get(_k, ()):
        DEPTH_ONE_BROADER[_k] = (*DEPTH_ONE_BROADER.get(_k, ()), _base)


# Where every case diagnosed has depth 2, layer 2 is the output layer, and a mistake of the whole network that acts
# from layer 2 up (layer 1 reads x, which it leaves right) is the output layer's: one bug under two names is named
# once, as the broader (round 65's codestates_m2 got three "equally reproduced" combinations of one reading).
FROM_LAYER_TWO = ("gradW_uses_z", "gradW_uses_input")
DEPTH_TWO_BROADER: dict[str, tuple[str, ...]] = {
    **{f"{k}_output_layer": (k,) for k in FROM_LAYER_TWO if f"{k}_output_layer" in ONE_LAYER},
    **{k: (out,) for k, m in ONE_LAYER.items() if m.layer == 2
       and (out := next((o for o in (f"output_{m.base}", f"{m.base}_output_layer") if o in CATALOGUE or o in ONE_LAYER),
                        None))}}


def _logistic_prime(t: np.ndarray) -> np.ndarray:
    s = _sigmoid(t)
    return s * (1 - s)


def _exp_form(z: np.ndarray) -> np.ndarray:
    e = np.exp(-z)
    return e / (1 + e) ** 2


# sigma' as a mistake writes it, from a = sigma(z) and z.
SIGMA_PRIME_FORMS = {"one": lambda a, z: np.ones_like(a), "of_a": lambda a, z: _logistic_prime(a),
                     "of_z": lambda a, z: z * (1 - z), "sigma_of_a": lambda a, z: _sigmoid(a),
                     "a": lambda a, z: a, "a_one_minus_z": lambda a, z: a * (1 - z), "one_minus_a": lambda a, z: 1 - a,
                     "one_plus_a": lambda a, z: a * (1 + a), "negated": lambda a, z: a * (a - 1),
                     "tanh": lambda a, z: 1 - a * a, "sigma_of_one_minus_z": lambda a, z: a * _sigmoid(1 - z),
                     "first_unit": lambda a, z: np.broadcast_to(a[:, :1] * (1 - a[:, :1]), a.shape),
                     "summed": lambda a, z: np.broadcast_to((a * (1 - a)).sum(axis=1, keepdims=True), a.shape),
                     "exp": lambda a, z: _exp_form(z),
                     "dead_units": lambda a, z: np.where((a < 0.01) | (a > 0.99), 0, a * (1 - a))}
FORM_KEYS = [k for k, m in CATALOGUE.items() if m.form is not None]   # at most one in a hypothesis (``claimable``)


def in_scope(scope: str, layer: int, L: int) -> bool:
    """Whether a mistake of this ``scope`` acts on layer ``layer`` (1..L) of an L-layer net."""
    return {"all": True, "hidden": layer < L, "output": layer == L, "first_hidden": layer == 1 < L,
            "top_hidden": layer == L - 1 >= 1}[scope]


def broadest(hypotheses: list[tuple[str, ...]], broader: dict[str, tuple[str, ...]] = BROADER
             ) -> list[tuple[str, ...]]:
    """``hypotheses`` (sorted tuples of keys) without one that another of them makes with a narrower key replaced
    by one of its ``broader`` kin (``BROADER``; ``stepmistakes.BROADER`` for steps)."""
    kept = set(hypotheses)

    def widened(ks: tuple[str, ...], n: str, b: str) -> tuple[str, ...]:
        return tuple(sorted(b if k == n else k for k in ks))
    return [ks for ks in hypotheses if not any(widened(ks, n, b) in kept for n in ks for b in broader.get(n, ()))]


CONSTANT_SLOTS = ("half", "n_L", "sign", "batch")     # mistakes that scale the gradient by a constant


def as_constant(diagnosis: list[str], keys: tuple[str, ...], expr: str, scaling: tuple[str, ...] = ()) -> list[str]:
    """The diagnosis of a run that is right up to the constant ``expr``: where each of its mistakes ``keys`` only
    scales the gradient (``CONSTANT_SLOTS``, or a key of ``scaling``: a step's summed mini-batch), its first line
    is said to be that constant read as mistakes, so that a convention is not taken for bugs."""
    if not diagnosis or not keys or not all(k in scaling or k in CATALOGUE and CATALOGUE[k].slot in CONSTANT_SLOTS
                                            for k in keys):
        return diagnosis
    return [f"the constant {expr} read as catalogued mistakes, where that convention is not meant: {diagnosis[0]}",
            *diagnosis[1:]]


def constants_on(n_L: int, m: int) -> tuple[tuple[str, float], ...]:
    """The catalogued mistakes that scale the whole gradient, with their factor on a case of n_L outputs and m
    examples."""
    return (("missing_half", 2.0), ("stray_half", 0.5), ("sign", -1.0), ("missing_inv_nL", float(n_L)),
            ("inv_nL_twice", 1.0 / n_L), ("sum_not_mean", float(m)), ("mean_twice", 1.0 / m))
DROPS_EXAMPLES = frozenset({"batch_last_example_only", "batch_first_example_only", "batch_last_example_over_m"})
#                                                       (of the batch slot: more than a constant, examples dropped)


def claimable(keys) -> bool:
    """Whether the diagnosis may name ``keys`` together: one mistake per slot (equation), and all but one of them
    constant factors (the compound constants of real code: one mistake of the math with a convention or two)."""
    slots = [mistake(k).slot for k in keys]
    return len(set(slots)) == len(slots) and sum(s in CONSTANT_SLOTS for s in slots) >= len(slots) - 1


def _sigmoid(z: np.ndarray) -> np.ndarray:
    e = np.exp(-np.abs(z))                       # in (0, 1]: never overflows
    r = 1 / (1 + e)
    return np.where(z >= 0, r, e * r)


def _sigma_prime(a: np.ndarray, keys: frozenset[str], z: np.ndarray, layer: int, L: int) -> np.ndarray:
    """sigma'(z) of layer ``layer`` (1..L) from a = sigma(z): a (1 - a), or the form (``SIGMA_PRIME_FORMS``) of a
    sigma' mistake in ``keys`` whose scope holds that layer. With ``sigma_exp_overflow`` beside another form, that
    form written with exp(-z) (exp(-z)/(1 + exp(-z)) for 1 - a, round 70's krelle_m2): NaN where exp(-z)
    overflows, inf/inf."""
    exp = "sigma_exp_overflow" in keys
    for k in FORM_KEYS:
        if k in keys and k != "sigma_exp_overflow" and in_scope(CATALOGUE[k].scope, layer, L):
            sp = SIGMA_PRIME_FORMS[CATALOGUE[k].form](a, z)
            return np.where(np.isinf(np.exp(-z)), np.nan, sp) if exp else sp
    return _exp_form(z) if exp else a * (1 - a)


def _of_input(sp: np.ndarray, a_in: np.ndarray, z_in: np.ndarray, keys: frozenset[str], layer: int, L: int
              ) -> np.ndarray:
    """sigma' taken of the layer's input a^(l-1) (m, n_(l-1)) where its own (``sp``, (m, n_l)) belongs, written as
    a sigma' form of ``keys`` writes it at ``layer``: unit j reads input j, all of them where the widths match (a
    loop over j: where n_(l-1) > n_l too); one input's broadcast over the units where n_(l-1) = 1 (vectorised
    code); ``sp`` as it is elsewhere (such code fails on the shapes). A sigma' summed over the units is one number
    from all the inputs."""
    n = sp.shape[1]
    if "sigma_prime_summed" in keys:       # one number from every input, whatever the widths
        return np.broadcast_to(_sigma_prime(a_in, keys, z_in, layer, L)[:, :1], sp.shape)
    if a_in.shape[1] < n and a_in.shape[1] != 1:
        return sp
    return np.broadcast_to(_sigma_prime(a_in[:, :n], keys, z_in[:, :n], layer, L), sp.shape)


SIGMA_PRIME_OF_ONE = 0.19661193324148185   # sigma(1)(1 - sigma(1)): sigma' of a bias unit's constant 1 taken as a z
# The factor of (b^(l+1))^T delta^(l+1), the bias unit's delta that a wrong slice keeps: sigma'(1) where sigma' is
# taken of [1; z]; 2 where the unit is fed -1 with a (1 - a) = -2 there, its weight -b (--negated-bias).
BIAS_UNIT_FACTOR = {"folded_first_delta_slice_of_z": SIGMA_PRIME_OF_ONE,
                    "folded_last_delta_slice_of_z": SIGMA_PRIME_OF_ONE,
                    "folded_first_delta_slice_minus_one": 2.0, "folded_last_delta_slice_minus_one": 2.0}

PRE_SIGMA_PRIME = frozenset({"bias_before_sigma_prime", "gradW_before_sigma_prime", "gradW_sigma_prime_of_a",
                             "bias_sigma_prime_of_a"})      # the mistakes that read dC/da^l, the error before sigma'


def _forward(params, X: np.ndarray, keys: frozenset[str]) -> tuple[list, list]:
    """(z^0..z^L, a^0..a^L) of the rows of X with the forward pass's mistakes in ``keys`` (z^0 is x, as a mistaken
    "z^0" would be)."""
    zs, acts = [X], [X]
    sigmoid = (lambda z: 1 / (1 + np.exp(-z))) if "sigma_exp_overflow" in keys else _sigmoid
    no_b = bool(keys & {"bias_unit_zero", "bias_not_in_forward"})
    for W, b in params:
        zs.append((zs[-1] if "hidden_fed_z" in keys else acts[-1]) @ W.T + (np.zeros_like(b) if no_b else b))
        acts.append(sigmoid(zs[-1]))
    return zs, acts


def _batch_grad(params, X: np.ndarray, Y: np.ndarray, keys: frozenset[str],
                updated: float | tuple[float, ...] | None = None) -> list[tuple[np.ndarray, np.ndarray]]:
    """The seed's batch backprop, X (m, n_0), Y (m, n_L), with the mistakes in ``keys``; sums over the batch.
    ``updated``: the recurrence uses W^l - updated * (the sum grad W^l) in place of W^l (a step that updates W^l
    before delta^(l-1) is computed from it), ``updated[l - 1]`` where each layer has its own."""
    n_L = Y.shape[1]
    zs, acts = _forward(params, X, keys)
    out = zs[-1] if "output_error_uses_z" in keys else acts[-1]
    r = (Y - out) if "sign" in keys else (out - Y)
    if "output_error_a_twice" in keys:
        r = r + acts[-1]
    elif "output_error_mean_over_units" in keys:
        r = np.broadcast_to(r.mean(axis=1, keepdims=True), r.shape)
    elif "output_error_summed_over_units" in keys:
        r = np.broadcast_to(r.sum(axis=1, keepdims=True), r.shape)
    c = {"missing_inv_nL": 1.0, "inv_nL_twice": 1.0 / n_L ** 2}.get(
        next((k for k in keys if mistake(k).slot == "n_L"), ""), 1.0 / n_L)
    c *= 2.0 if "missing_half" in keys else 0.5 if "stray_half" in keys else 1.0
    delta = err = pre = c * r                    # pre: dC/da^l, the error before sigma'(z^l)
    at = _per_layer(keys, len(params))
    if "output_sigma_prime_of_error" in keys:
        e = Y - acts[-1]
        delta = delta * (e * (1 - e))
    elif "output_missing_sigma_prime" not in keys:
        sp_L = _sigma_prime(acts[-1], at(len(params)), zs[-1], len(params), len(params))
        if at(len(params)) & {"sigma_prime_of_input", "output_sigma_prime_of_input"}:
            sp_L = _of_input(sp_L, acts[-2], zs[-2], at(len(params)), len(params), len(params))
        delta = delta * sp_L * (sp_L if "output_sigma_prime_twice" in keys else 1)
    L = len(params)
    if "backward_in_forward_order" in keys:
        forward_order = _forward_order_grads(params, acts, zs, keys, c * r)
        if forward_order is not None:
            return forward_order
    grads = []
    g, delta_L, above = None, delta, None        # above: delta^(l+1)
    for l in range(L, 0, -1):
        kl = at(l)                               # the mistakes acting on layer l
        grads.append(_layer_grad(delta, pre, acts, zs, params[l - 1][0], l, L, kl))
        if "bias_from_delta_above" in kl and above is not None and above.shape[1] in (1, delta.shape[1]):
            grads[-1] = (grads[-1][0], np.broadcast_to(above.sum(axis=0), delta.shape[1:]).copy())
        above = delta
        if l == 1:
            break
        kr = at(l - 1)                           # ... on delta^(l-1), the layer below
        u = None if updated is None else updated[l - 1] if isinstance(updated, tuple) else updated
        W = _recurrence_weights(params[l - 1], grads[-1], kr, params[l - 2][0], u)
        sp_below = _sigma_prime(acts[l - 1], kr, zs[l - 1], l - 1, L)
        if kr & {"hidden_sigma_prime_of_input", "sigma_prime_of_input"}:
            sp_below = _of_input(sp_below, acts[l - 2], zs[l - 2], kr, l - 1, L)
        elif "hidden_sigma_prime_of_layer_above" in kr and acts[l].shape[1] in (acts[l - 1].shape[1], 1):
            sp_below = _sigma_prime(acts[l], kr, zs[l], l - 1, L)     # as layer l - 1 writes sigma', of layer l
        pre = delta @ W if kr & PRE_SIGMA_PRIME else None
        if "bare_error_recurrence" in kr:       # at l = L also hidden_from_output_error's
            g = (err if g is None else g) @ W
            delta = g * sp_below
            pre = None if pre is None else g    # the error before sigma' is the one sent down
        elif "hidden_from_output_error" in kr and l == L:
            e = err @ W
            pre = None if pre is None else e
            delta = e * sp_below
        elif "hidden_error_unweighted" in kr and l == L and err.shape[1] in (1, sp_below.shape[1]):
            delta = err * sp_below                # (elsewhere such code fails on the shapes)
        elif "hidden_delta_unweighted" in kr and l == L and delta.shape[1] in (1, sp_below.shape[1]):
            delta = delta * sp_below
        elif "hidden_error_from_activations" in kr:    # with the error's constants: a --scale scales it too
            delta = ((c * acts[l]) @ W) * sp_below
        elif "hidden_error_accumulator_not_reset" in kr:
            delta = np.cumsum(delta @ W, axis=1) * sp_below
        elif "sigma_prime_applied_above" in kr:
            delta = (delta * _sigma_prime(acts[l], kl, zs[l], l, L)) @ W
        elif "output_delta_at_every_level" in kr and delta_L.shape[1] == W.shape[0]:
            delta = (delta_L @ W) * sp_below
        elif "hidden_sigma_prime_of_error" in kr:
            e = delta @ W
            delta = e * (e * (1 - e))
        elif "hidden_error_through_activation" in kr:
            delta = delta.sum(axis=1, keepdims=True) * acts[l - 1] * sp_below
        elif "hidden_error_last_unit_only" in kr:
            delta = (delta[:, -1:] @ W[-1:, :]) * sp_below
        elif "hidden_error_last_unit_dropped" in kr:
            delta = (delta[:, :-1] @ W[:-1, :]) * sp_below
        elif "hidden_error_through_first_unit_weights" in kr:
            delta = (delta @ W[:, :1]) * sp_below
        elif "hidden_error_through_last_unit_weights" in kr:
            delta = (delta @ W[:, -1:]) * sp_below
        elif "hidden_deltas_zero" in kr:
            delta = np.zeros_like(delta @ W)
        elif "hidden_missing_sigma_prime" in kr:
            delta = delta @ W
        elif "hidden_uses_output_sigma_prime" in kr:
            delta = ((delta * _sigma_prime(acts[l], kl, zs[l], l, L)) @ W) * sp_below
        elif "deep_skips_sigma_prime" in kr:
            g = delta @ W if g is None else g @ W
            delta = g * sp_below
        else:
            delta = (delta @ W) * sp_below
        delta = _sent_down(delta, kr, X.shape[0], above, params[l - 1][1], u, grads[-1][1])
    return grads[::-1]


def _sent_down(delta: np.ndarray, kr: frozenset[str], m: int, above: np.ndarray, b: np.ndarray, u: float | None,
               grad_b: np.ndarray) -> np.ndarray:
    """delta^l (m, n_l) as the mistakes ``kr`` change it after the recurrence: scaled, or the slice of a folded
    layout's deltas taken at the wrong end; ``above``, ``b``: delta^(l+1) and b^(l+1), whose product is the bias
    unit's sum (b updated by ``u`` times ``grad_b`` first where the step updates before it propagates)."""
    if "hidden_error_divided_by_m" in kr:
        return delta / m
    if "hidden_error_times_width" in kr:
        return delta * delta.shape[1]
    if "folded_first_delta_slice" in kr:        # [0, delta_1, ..., delta_(n-1)]
        return np.concatenate([np.zeros_like(delta[:, :1]), delta[:, :-1]], axis=1)
    if "folded_last_delta_slice" in kr:         # [delta_2, ..., delta_n, 0]
        return np.concatenate([delta[:, 1:], np.zeros_like(delta[:, :1])], axis=1)
    key = next((k for k in BIAS_UNIT_FACTOR if k in kr), None)
    if key is None:
        return delta
    b = b if u is None else b - u * grad_b
    unit = (above @ b[:, None]) * BIAS_UNIT_FACTOR[key]                        # the bias unit's delta
    return np.concatenate([unit, delta[:, :-1]] if key.startswith("folded_first") else [delta[:, 1:], unit], axis=1)


def _recurrence_weights(layer: tuple, grad: tuple, kr: frozenset[str], own: np.ndarray, u: float | None
                        ) -> np.ndarray:
    """The W^l that delta^(l-1)'s recurrence reads, with the mistakes ``kr`` acting there: ``layer`` (W^l, b^l),
    updated by ``u`` times its summed ``grad`` first where the step updates before it propagates (b too, for the
    slices of a folded [W b] that read it); ``own``, W^(l-1), where the receiving layer's own weights are read."""
    W, b = layer
    if u is not None:
        W, b = W - u * grad[0], b - u * grad[1]
    if "folded_slice_first" in kr:          # [b W][:, :-1]: the bias column in, W's last column out
        W = np.concatenate([b[:, None], W[:, :-1]], axis=1)
    elif "folded_slice_last" in kr:         # [W b][:, 1:]: W's first column out, the bias column in
        W = np.concatenate([W[:, 1:], b[:, None]], axis=1)
    if "W_not_transposed" in kr and W.shape[0] == W.shape[1]:
        W = W.T
    elif "W_not_transposed" in kr and W.shape[0] == 1:   # sum(W * delta, axis=1): one row sum, broadcast
        W = np.full_like(W, W.sum())
    if "recurrence_own_weights" in kr and own.shape[0] == W.shape[0] and own.shape[1] in (own.shape[0], 1):
        W = own          # it chains where n_l = n_(l-1), broadcast against sigma'(z^(l-1)) where n_(l-2) is it or 1
    return W


def _input_as_width(X: np.ndarray, n: int) -> np.ndarray:
    """x (m, n_0) read as a layer input of width n: its first n entries, and 0 past n_0 (a loop over
    range(len(inputs)) that moves only the weights it reaches, or over a layer's weights reading inputs[j])."""
    out = np.zeros((X.shape[0], n), X.dtype)
    k = min(n, X.shape[1])
    out[:, :k] = X[:, :k]
    return out


def _layer_grad(delta, pre, acts: list, zs: list, W: np.ndarray, l: int, L: int, kl: frozenset[str]) -> tuple:
    """(grad W^l, grad b^l) summed over the batch from delta^l (``pre``: dC/da^l, before sigma'), with the mistakes
    ``kl`` acting on layer l; ``acts``, ``zs``: a^0..a^L, z^0..z^L (z^0 is x), W: W^l (its shape)."""
    below = zs[l - 1] if "gradW_uses_z" in kl else acts[l - 1]
    if "gradW_uses_own_activation" in kl and acts[l].shape[1] in (below.shape[1], 1):
        below = acts[l]                      # a width-1 a^l: delta (a^l)^T, (1, 1), broadcast onto W^l by +=
    if "gradW_uses_next_activation" in kl and l < L and acts[l + 1].shape == below.shape:
        below = acts[l + 1]
    if "gradW_uses_activation_below" in kl and l > 1 and acts[l - 2].shape == below.shape:
        below = acts[l - 2]
    if "gradW_uses_input" in kl and l > 1:
        below = _input_as_width(acts[0], below.shape[1])
    if l == 1 and "x_through_sigma_in_gradW" in kl:
        below = _sigmoid(below)
    apart = l == L and "output_update_before_sigma_prime" in kl
    d_b = pre if "bias_before_sigma_prime" in kl or apart else delta
    d_W = pre if "gradW_before_sigma_prime" in kl or apart else delta
    if kl & {"gradW_sigma_prime_of_a", "bias_sigma_prime_of_a"}:
        s_a = _sigmoid(acts[l])
        d_W = pre * s_a * (1 - s_a) if "gradW_sigma_prime_of_a" in kl else d_W
        d_b = pre * s_a * (1 - s_a) if "bias_sigma_prime_of_a" in kl else d_b
    if l > 1 and kl & {"gradW_uses_sigma_of_activation", "folded_sigma_of_activation"}:
        below = _sigmoid(below)
    if "gradW_batch_transposed" in kl and below.shape[0] == below.shape[1]:
        below = below.T                          # examples read as units (m = n_(l-1); elsewhere such code raises)
    d_b = (d_b * below[:, -1:] if "bias_times_last_input" in kl else d_b * below.sum(axis=1, keepdims=True)
           if "bias_times_input_sum" in kl else d_b)
    rows = d_b
    d_b = d_b[-1] if "bias_last_example_only" in kl else d_b[0] if "bias_first_example_only" in kl \
        else d_b.sum(axis=0)
    if "bias_summed_over_units" in kl:
        d_b = np.full_like(d_b, d_b.sum())
    elif "bias_summed_by_example" in kl and rows.shape[0] in (1, d_b.size):   # else its += raises
        d_b = np.broadcast_to(rows.sum(axis=1), d_b.shape).copy()
    elif "bias_averaged_over_units" in kl:
        d_b = np.full_like(d_b, d_b.sum() / d_b.size)
    elif kl & {"bias_input_zero", "bias_unit_zero"}:
        d_b = np.zeros_like(d_b)
    elif "bias_sign" in kl:
        d_b = -d_b
    if "gradient_left_zero" in kl:
        return np.zeros((delta.shape[1], W.shape[1])), np.zeros(delta.shape[1])
    if l > 1 and "folded_sigma_of_activation" in kl:
        d_b = d_b * _sigmoid(np.ones((), d_b.dtype))
    if "weights_last_example_only" in kl:
        d_W, below = d_W[-1:], below[-1:]
    gW = below.T @ d_W if "transpose_gradW" in kl and below.shape[1] == d_W.shape[1] else d_W.T @ below
    if "gradW_uses_receiving_activation" in kl:
        gW = np.broadcast_to((d_W * acts[l]).sum(axis=0)[:, None], W.shape).copy()
    elif "gradW_elementwise" in kl and d_W.shape[1] == below.shape[1]:
        gW = np.broadcast_to((d_W * below).sum(axis=0)[None, :], W.shape).copy()
    elif "gradW_uses_weight" in kl:
        gW = d_W.sum(axis=0)[:, None] * W
    if kl & {"gradW_last_input_skipped", "gradW_first_input_skipped"}:
        gW = gW.copy()
        gW[:, -1 if "gradW_last_input_skipped" in kl else 0] = 0
    return _folded_shift(delta, below, kl, l) or (_as_W(gW, W), d_b)


def _as_W(gW: np.ndarray, W: np.ndarray) -> np.ndarray:
    """``gW`` broadcast to W's shape where it is a column (n_l, 1) of a wider W (as W -= eta * gW broadcasts it)."""
    return np.broadcast_to(gW, W.shape).copy() if gW.shape[1] == 1 != W.shape[1] else gW


def _folded_shift(delta: np.ndarray, below: np.ndarray, keys: frozenset[str], l: int) -> tuple | None:
    """(grad W^l, grad b^l) summed over the batch when layer ``l``'s folded gradient has its input's bias unit at the
    other end from the forward pass (``folded_first_input_bias_last``, ``folded_last_input_bias_first``; layer 1
    alone for ``x_folded_first_bias_last``, ``x_folded_last_bias_first``); else None."""
    ones = np.ones((below.shape[0], 1), below.dtype)
    if "folded_first_input_bias_last" in keys or (l == 1 and "x_folded_first_bias_last" in keys):
        full = delta.T @ np.concatenate([below, ones], axis=1)     # delta [a; 1]^T read as [b W]
        return full[:, 1:], full[:, 0]
    if "folded_last_input_bias_first" in keys or (l == 1 and "x_folded_last_bias_first" in keys):
        full = delta.T @ np.concatenate([ones, below], axis=1)
        return full[:, :-1], full[:, -1]
    return None


def _forward_order_grads(params, acts, zs, keys, error) -> list | None:
    """``backward_in_forward_order``'s gradients: the loop over l = 1..L, dC/da^L taken as layer 1's dC/da, each
    layer's dC/da passed on as (W^l)^T delta^l to the layer above; summed over the batch. None where the shapes do
    not chain (n_L = n_1, n_0 = n_2, n_1 = n_3, ..., or a width 1 that broadcasts: such code fails there)."""
    grads, dA, L = [], error, len(params)
    for l in range(1, L + 1):
        if dA.shape[1] not in (acts[l].shape[1], 1):          # a width-1 dC/da broadcasts, as NumPy code does
            return None
        delta = dA * _sigma_prime(acts[l], keys, zs[l], l, L)
        grads.append((delta.T @ acts[l - 1], delta.sum(axis=0)))
        dA = delta @ params[l - 1][0]
    return grads


def recompute(params, x: np.ndarray, y: np.ndarray, keys=(), updated_eta: float | tuple[float, ...] | None = None
              ) -> list[tuple[np.ndarray, np.ndarray]]:
    """The gradient of the seed's cost with every mistake in ``keys`` made, in float64 (float32 for
    ``float32_inside``, the parameters' dtype for ``DTYPE_BOUND``'s, whose overflow depends on it):
    [(grad W^l (n_l, n_(l-1)), grad b^l (n_l,)), l = 1..L]; x (n_0,) or (m, n_0). ``updated_eta``: the gradient
    a step computes when it updates W^l - updated_eta grad W^l before delta^(l-1) uses it (the step mistake
    ``updated_next_first``; ``stepmistakes`` combines it with the mistakes here; one rate per layer where one
    layer's update slipped as well: a tuple)."""
    keys = frozenset(keys)
    dtype = (np.float32 if "float32_inside" in keys else np.asarray(params[0][0]).dtype.type
             if keys & DTYPE_BOUND or IN_CASE_DTYPE in keys else np.float64)
    keys = keys - {IN_CASE_DTYPE}
    with np.errstate(all="ignore"):          # an extreme case's values may overflow float32: inf, no match
        ps = [(np.asarray(W, dtype), np.asarray(b, dtype)) for W, b in params]
        if "biases_rounded_to_float32" in keys:
            ps = [(W, b.astype(np.float32).astype(dtype)) for W, b in ps]
        X, Y = np.atleast_2d(np.asarray(x, dtype)), np.atleast_2d(np.asarray(y, dtype))
        if "input_squashed" in keys:
            X = _sigmoid(X)
        if "targets_pm1_to_01" in keys and set(np.round(np.unique(Y)).tolist()) <= {-1.0, 1.0}:
            Y = (Y + 1) / 2
    m, n_L = X.shape[0], Y.shape[1]
    if keys & {"batch_last_example_only", "batch_last_example_over_m"}:
        X, Y = X[-1:], Y[-1:]
    elif "batch_first_example_only" in keys:
        X, Y = X[:1], Y[:1]
    scale = {"sum_not_mean": 1.0, "mean_twice": 1.0 / m ** 2, "batch_last_example_only": 1.0,
             "batch_first_example_only": 1.0, "divides_by_fan_in": 1.0, "divides_by_own_width": 1.0,
             "n_L_for_m": 1.0 / n_L,
             "n_0_for_m": 1.0 / X.shape[1],
             "batch_last_example_over_m": 1.0 / m}.get(
        next((k for k in keys if k in CATALOGUE and CATALOGUE[k].slot == "batch"), ""), 1.0 / m)
    b_scale = 1.0 if "bias_summed" in keys else scale / m if "bias_mean_twice" in keys else scale
    w_scale = scale / m if "weights_mean_twice" in keys else scale * m if "weights_summed" in keys else scale
    with np.errstate(all="ignore"):          # a mistaken gradient may overflow; fit() reads NaN/inf as no match
        step = (None if updated_eta is None else tuple(dtype(e * w_scale) for e in updated_eta)
                if isinstance(updated_eta, tuple) else dtype(updated_eta * w_scale))
        out = [(np.asarray(gW * dtype(w_scale), np.float64), np.asarray(gb * dtype(b_scale), np.float64))
               for gW, gb in _batch_grad(ps, X, Y, keys, step)]
        if "output_bias_mean_twice" in keys:
            out[-1] = (out[-1][0], out[-1][1] / m)
        out = _local_batch_factors(out, keys, m)
        if keys & {"divides_by_fan_in", "divides_by_own_width"}:
            axis = 1 if "divides_by_fan_in" in keys else 0          # n_(l-1), or n_l
            out = [(gW / np.shape(W)[axis], gb / np.shape(W)[axis]) for (gW, gb), (W, _) in zip(out, params)]
        elif "weights_divided_by_fan_in" in keys:
            out = [(gW * (m / np.shape(W)[1]), gb) for (gW, gb), (W, _) in zip(out, params)]
    if "layers_reversed" in keys and [gW.shape for gW, _ in out] == [gW.shape for gW, _ in out[::-1]]:
        out = out[::-1]
    return out


def _local_batch_factors(out: list, keys: frozenset[str], m: int) -> list:
    """``out`` with the ``BATCH_FACTORS`` (and ``FAN_IN_FACTOR``) of the ``ONE_LAYER`` variants in ``keys`` applied
    at their layers."""
    for k in keys:
        v = ONE_LAYER.get(k)
        if v is not None and v.base == FAN_IN_FACTOR:      # grad W^l / n_(l-1) where its mean over m belongs
            out = [(gW * (m / gW.shape[1]), gb) if _acts_at(v, l, len(out)) else (gW, gb)
                   for l, (gW, gb) in enumerate(out, start=1)]
        if v is None or v.base not in BATCH_FACTORS:
            continue
        pw, pb = BATCH_FACTORS[v.base]
        out = [(gW * float(m) ** pw, gb * float(m) ** pb) if _acts_at(v, l, len(out)) else (gW, gb)
               for l, (gW, gb) in enumerate(out, start=1)]
    return out


def u_scale(keys, dtype: str) -> float:
    """How much coarser than the case's dtype the mistakes in ``keys`` compute: u(theirs) / u(case), at least 1."""
    coarse = [UNIT_ROUNDOFF[mistake(k).u_scale_from] for k in keys if mistake(k).u_scale_from]
    return max([1.0] + [u / UNIT_ROUNDOFF[dtype] for u in coarse])


class Fit(NamedTuple):
    """How a recomputation with ``keys`` fits a candidate: ``worst`` is the largest |candidate - recomputed| /
    reproduction tolerance (<= 1: reproduced); ``visible``: the mistakes change the gradient beyond the
    tolerances on this case (a mistake that changes nothing here explains nothing)."""

    keys: tuple[str, ...]
    worst: float
    visible: bool

    @property
    def reproduced(self) -> bool:
        return self.visible and self.worst <= 1.0


def fit(keys, cand: list[np.ndarray], ref: list[np.ndarray], tol: list[np.ndarray], right: list[np.ndarray],
        mistaken: list[np.ndarray], dtype: str) -> Fit:
    """Whether ``mistaken`` (recompute with ``keys``, flat [gW^1, gb^1, ...]) reproduces ``cand``.

    The tolerance per element is ``bound.reproduction_tolerance``, REPRODUCTION_SAFETY * s * rho * tol_ref:
    tol_ref is the reference's per-element tolerance (twice the running bound for the seed's math; of the layer
    the value came from where ``layers_reversed`` reorders them, the larger of (i, j)'s and (j, i)'s where
    ``transpose_gradW`` moves one to the other);
    rho = max(1, max|mistaken| / max|ref| over the array, |mistaken| / (|ref| + tol_ref) at the element), because a
    rounding bound grows with the magnitudes summed and a mistake that scales an array or an element scales its
    bound; s = u_scale (a mistake computing in float32 has float32's rounding, and the bound is linear in u);
    REPRODUCTION_SAFETY = 4
    covers the different sums the mistaken math makes (an extra sigmoid, a product taken twice). A mistake
    that computes in a coarser dtype must also leave its mark: every candidate value is representable in that
    dtype, and is visible only where rounding some right value to that dtype moves it beyond its tolerance (an
    all-zero or deeply saturated gradient shows no precision).
    ``visible`` needs some element where the mistaken and right recomputations differ by more than the two
    tolerances together, so that a right candidate can never be reproduced by a mistake.
    """
    s = u_scale(keys, dtype)
    ratio, visible = _ratios(keys, cand, ref, tol, right, mistaken, s)
    worst = float(np.max(ratio, initial=0.0))
    if s > 1.0:
        coarse = np.dtype(next(mistake(k).u_scale_from for k in keys if mistake(k).u_scale_from))

        def rounded(a) -> np.ndarray:
            return np.asarray(a, np.float64).astype(coarse).astype(np.float64)
        with np.errstate(all="ignore"):
            exact = all(np.array_equal(rounded(c), np.asarray(c, np.float64), equal_nan=True) for c in cand)
            worst = worst if exact else max(worst, np.inf)
            visible |= any(bool(np.any(np.abs(rounded(r) - r) > tl)) for r, tl in zip(right, tol))
    return Fit(tuple(keys), worst, visible)


def _ratios(keys, cand: list[np.ndarray], ref: list[np.ndarray], tol: list[np.ndarray], right: list[np.ndarray],
            mistaken: list[np.ndarray], s: float) -> tuple[np.ndarray, bool]:
    """``fit``'s |candidate - recomputed| / reproduction tolerance of every element, flat over the arrays laid end
    to end, and whether the mistakes are visible on this case (``fit``'s docstring), ``s`` the u_scale."""
    src_ref, src_tol = (_reversed(ref), _reversed(tol)) if _reorders(keys, ref) else (ref, tol)
    if any((mistake(k).base or k) == "transpose_gradW" for k in keys):     # element (i, j) is ref's (j, i)
        src_tol = [np.maximum(t, t.T) if i % 2 == 0 and np.ndim(t) == 2 and t.shape[0] == t.shape[1] else t
                   for i, t in enumerate(src_tol)]
    # Every array at once, flat: a case's arrays are small, and a Trial fits hundreds of recomputations.
    sizes = np.array([np.size(a) for a in ref])
    c64, t, r64, t_r, g0, g = (np.concatenate([np.asarray(a, np.float64).ravel() for a in arrays])
                               for arrays in (cand, tol, src_ref, src_tol, right, mistaken))
    r64 = np.abs(r64)
    # Extreme cases: values near the range's end overflow here; inf and NaN ratios are no match.
    with np.errstate(all="ignore"):
        ratio_of_max = _array_max(np.abs(g), sizes) / np.maximum(_array_max(r64, sizes), 1e-300)
        rho = np.repeat(np.where(np.isnan(ratio_of_max), 1.0, np.maximum(1.0, ratio_of_max)), sizes)
        t_m = reproduction_tolerance(t_r, np.maximum(rho, np.abs(g) / (r64 + t_r)), s)
        d = np.abs(c64 - g)
        same = (c64 == g) | (np.isnan(c64) & np.isnan(g))       # equal infinities, NaN where both are NaN
        free = np.isinf(t) & np.isinf(t_r)       # not compared (a network without biases: source.WithoutBiases)
        ratio = np.where(same | (d == 0) | free, 0.0, d / t_m)
        ratio[np.isnan(ratio)] = np.inf
        visible = bool(np.any(np.abs(g - g0) > t + t_m)) or bool(np.any((np.isnan(g) != np.isnan(g0)) & ~free))
    return ratio, visible


def _array_max(flat: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """The largest element (NaN if any is NaN; 0 for an empty one) of each array of ``sizes`` laid end to end in
    ``flat``."""
    out = np.zeros(len(sizes))
    full = sizes > 0
    if full.any():
        out[full] = np.maximum.reduceat(flat, (np.cumsum(sizes) - sizes)[full])
    return out


def _reversed(flat: list) -> list:
    """A flat [W^1, b^1, ..., W^L, b^L] list in reverse layer order [W^L, b^L, ..., W^1, b^1]."""
    return [a for l in range(len(flat) // 2 - 1, -1, -1) for a in flat[2 * l:2 * l + 2]]


def _reorders(keys, ref: list) -> bool:
    """Whether ``keys`` hand the layers back reversed on this case (``layers_reversed``, where the shapes allow):
    each mistaken array then comes from another layer, whose tolerance and magnitude are the ones to use."""
    return "layers_reversed" in keys and [a.shape for a in ref] == [a.shape for a in _reversed(ref)]


def _flat(arrays) -> tuple[list, list, list]:
    """A value Failure's ``LayerValues`` as flat lists [W^1, b^1, ...] of candidate, reference and tolerance."""
    cand = [a for v in arrays for a in (v.cand_W, v.cand_b)]
    ref = [a for v in arrays for a in (v.ref_W, v.ref_b)]
    tol = [a for v in arrays for a in (v.tol_W, v.tol_b)]
    return cand, ref, tol


MAX_KEPT = 8     # the combinations a layered search (gradients and steps) carries from one layer down to the next
LAYERED_SECONDS = 30.0    # and the CPU time it may take (``budget``; a recomputation on a wide net takes ms)


class Trial:
    """One failing case's candidate values against recomputations with mistakes (each recomputed once).

    ``case`` and ``arrays`` come from a value Failure (``results.LayerValues`` per layer)."""

    def __init__(self, case, arrays):
        self.case = case
        self.params, self.x, self.y = materialise(case)
        self.cand, self.ref, self.tol = _flat(arrays)
        self.right = self._grad(())
        self._fits: dict[frozenset, Fit] = {}

    def _grad(self, keys) -> list[np.ndarray]:
        return [a for pair in recompute(self.params, self.x, self.y, keys) for a in pair]

    def fit(self, keys) -> Fit:
        key = frozenset(keys)
        if key not in self._fits:
            self._fits[key] = fit(tuple(sorted(keys)), self.cand, self.ref, self.tol, self.right, self._grad(keys),
                                  self.case.dtype)
        return self._fits[key]

    def apart(self, keys) -> tuple[list[tuple[int, str, tuple[int, ...]]], bool]:
        """The elements (layer 1..L, "W" or "b", index) where the recomputation with ``keys`` does not reproduce
        the candidate, and whether it is visible on this case (``fit``'s tolerance; no dtype-rounding keys)."""
        ratio, visible = _ratios(keys, self.cand, self.ref, self.tol, self.right, self._grad(keys), 1.0)
        sizes = np.cumsum([0, *(np.size(a) for a in self.ref)])
        out = []
        for flat in np.flatnonzero(ratio > 1.0):
            i = int(np.searchsorted(sizes, flat, side="right")) - 1
            out.append((i // 2 + 1, "Wb"[i % 2], tuple(int(n) for n in np.unravel_index(flat - sizes[i],
                                                                                          np.shape(self.ref[i])))))
        return out, visible

    def minimal(self, keys) -> bool:
        """``keys`` reproduce the candidate here and every one of them is needed (dropping any one does not)."""
        return self.fit(keys).reproduced and all(not self.fit(set(keys) - {k}).reproduced for k in keys
                                                 if len(keys) > 1)

    def pairs(self) -> list[Fit]:
        """Two mistakes of two different equations made at once, neither a whole network's constant factor (a
        published bug with another made on top of it), each of the whole network or of the output or hidden layers
        alone (a batch factor in one layer's line too), that reproduce the candidate here; tried only where
        ``explain`` finds nothing. A pair whose arrays do not chain on this case is not a reproduction."""
        layer_keys = [k for k, m in ONE_LAYER.items() if m.layer in (HIDDEN_LAYERS, OUTPUT_LAYER)]
        pool = [k for k in (*CATALOGUE, *layer_keys) if self._visible(k)]
        hits = []
        for ks in combinations(pool, 2):
            if len({mistake(k).slot for k in ks}) < 2 or any(mistake(k).slot in CONSTANT_SLOTS and k in CATALOGUE
                                                            for k in ks):
                continue                       # a whole network's constant with a mistake: ``explain``'s
            f, g = self._chain(ks)
            if f is not None and f.reproduced:
                hits.append(f)
            elif g is not None and (c := self._constant_of(g)) is not None and (f := self.chained((*ks, c))):
                hits += [f] if f.reproduced else []
        return hits

    def _some_array(self, keys: tuple[str, ...]) -> bool:
        """Whether the recomputation with ``keys`` reproduces some array the candidate has wrong (a constant that a
        mistake of one layer's line leaves right elsewhere)."""
        g = self._chained_grad(keys)
        return g is not None and any(
            fit(tuple(keys), *([a[i]] for a in (self.cand, self.ref, self.tol, self.right, g)), self.case.dtype
                ).reproduced for i in range(len(g)))

    def _within_from(self, keys: tuple[str, ...], first: int, weights_only: bool = False) -> bool:
        """Whether the recomputation with ``keys`` lies within the reproduction tolerance of the candidate's arrays
        of the layers from index ``first`` up (their grad W alone where ``weights_only``)."""
        g = self._chained_grad(keys)
        if g is None:
            return False
        pick = [i for i in range(2 * first, len(g)) if not weights_only or i % 2 == 0]
        arrays = [[a[i] for i in pick] for a in (self.cand, self.ref, self.tol, self.right, g)]
        return fit(tuple(sorted(keys)), *arrays, self.case.dtype).worst <= 1.0

    def _grown(self, base: tuple[str, ...], first: int, pool: list[str], weights_only: bool, until: Deadline
               ) -> list[tuple]:
        """``base`` with one mistake of ``pool`` more (``distinct_lines``), or at the output layer two, that lies
        within the candidate from layer index ``first`` up; none tried once ``until`` has passed."""
        one = [(*base, k) for k in pool if k not in base and distinct_lines((*base, k))]
        hits = [ks for ks in one if not until.passed() and self._within_from(ks, first, weights_only)]
        if hits or base or first != self.case.depth - 1:
            return hits
        top = [k for k in pool if k in CATALOGUE or mistake(k).layer == OUTPUT_LAYER]
        return [ks for ks in combinations(top, 2) if distinct_lines(ks) and not until.passed()
                and self._within_from(ks, first, weights_only)]

    def layered(self, until: Deadline | None = None) -> list[Fit]:
        """Three or more mistakes at once, found layer by layer: a layer's gradient depends on no mistake made
        below it, so the combinations within the candidate's output layer (its grad W, then its grad b) are found
        first and carried down one layer at a time, as they are or with one mistake more (a one-layer variant on
        the case's layers among them); tried where neither ``explain`` nor ``pairs`` finds anything (a published
        pair with a slip made on top). It stops trying once ``until`` has passed (by default LAYERED_SECONDS of CPU
        time from now: ``budget``)."""
        L = self.case.depth
        until = deadline(LAYERED_SECONDS) if until is None else until
        pool = [k for k in (*CATALOGUE, *(k for k, m in ONE_LAYER.items() if m.layer <= L)) if self._visible(k)]
        bias = [k for k in pool if mistake(k).slot == "grad b"]
        others = [k for k in pool if mistake(k).slot != "grad b"]
        kept: list[tuple[str, ...]] = [()]
        for first in range(L - 1, -1, -1):
            out: list[tuple[str, ...]] = []
            for c in kept:
                if self._within_from(c, first):
                    out.append(c)
                    continue
                weighted = [c] if self._within_from(c, first, True) else self._grown(c, first, others, True, until)
                for w in weighted[:MAX_KEPT]:
                    out += [w] if self._within_from(w, first) else self._grown(w, first, bias, False, until)
            kept = list(dict.fromkeys(tuple(sorted(ks)) for ks in out))[:MAX_KEPT]
        return [f for ks in kept if len(ks) >= 2 and (f := self.chained(ks)) is not None and f.reproduced]

    def _constant_of(self, g: list[np.ndarray]) -> str | None:
        """The catalogued constant mistake (``constants_on``: a factor 2, 1/2, -1, n_L, 1/n_L, m or 1/m, not 1 on
        this case) whose factor is the least-squares ratio of the candidate to ``g``, to 1 %; None else: a pair
        of mistakes with a whole network's constant on top (a cost convention's 2 dropped, a sign) is tried."""
        c = np.concatenate([np.asarray(a, np.float64).ravel() for a in self.cand])
        m = np.concatenate([np.asarray(a, np.float64).ravel() for a in g])
        ok = np.isfinite(c) & np.isfinite(m)
        with np.errstate(all="ignore"):
            k = float(c[ok] @ m[ok] / (m[ok] @ m[ok])) if ok.any() else np.nan
        n_L, batch = self.case.sizes[-1], max(1, self.case.batch)
        for key, factor in constants_on(n_L, batch):
            if factor != 1.0 and abs(k - factor) <= 0.01 * abs(factor):
                return key
        return None

    def _chained_grad(self, keys) -> list[np.ndarray] | None:
        """The recomputation with ``keys``, or None where the mistakes' arrays do not chain on this case (a shape
        that differs from the reference's, or an error on the way)."""
        try:
            g = self._grad(keys)
        except (ValueError, IndexError):
            return None
        if len(g) != len(self.right) or any(a.shape != b.shape for a, b in zip(g, self.right)):
            return None
        return g

    def _chain(self, keys) -> tuple[Fit | None, list[np.ndarray] | None]:
        """(``chained(keys)``, the recomputed arrays where computed here, else None)."""
        key = frozenset(keys)
        if key in self._fits:
            return self._fits[key], None
        g = self._chained_grad(keys)
        if g is None:
            return None, None
        self._fits[key] = fit(tuple(sorted(keys)), self.cand, self.ref, self.tol, self.right, g, self.case.dtype)
        return self._fits[key], g

    def chained(self, keys) -> Fit | None:
        """``fit(keys)``, or None where the mistakes' arrays do not chain on this case (a shape that differs from
        the reference's, or an error on the way)."""
        return self._chain(keys)[0]

    def _visible(self, key: str) -> bool:
        f = self.chained((key,))
        return f is not None and f.visible

    def explain(self, max_size: int = 3) -> list[Fit]:
        """The smallest combinations of catalogued mistakes (``claimable``) that reproduce the candidate here; after
        the single mistakes of the whole network, one mistake at one layer alone (``ONE_LAYER``), before two; and
        with a cost convention's constants, one mistake at one layer alone (round 66's bayun_m3: a summed cost
        without the 1/n_L, and layer 1's grad b alone averaged, np.mean, where the others are summed)."""
        pool = [k for k in CATALOGUE if self.fit((k,)).visible or CATALOGUE[k].u_scale_from]
        local = [k for k, m in ONE_LAYER.items() if m.layer <= self.case.depth]
        constant = [k for k in pool if CATALOGUE[k].slot in CONSTANT_SLOTS]
        for size in range(1, max_size + 1):
            hits = [self.fit(ks) for ks in combinations(pool, size) if claimable(ks) and self.fit(ks).reproduced]
            if size == 1 and not hits:
                hits = [f for k in local if (f := self.fit((k,))).reproduced]
            if size > 1 and not hits:          # (a constant's slot and a one-layer line of that slot may meet)
                hits = [f for c in combinations(constant, size - 1) if claimable(c) and self._some_array(c)
                        for k in local if self.fit((k,)).visible and (f := self.fit((*c, k))).reproduced]
            if hits:
                return hits
        return []
