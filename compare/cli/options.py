"""What the options of ``python -m compare`` mean, for the gradient run (``oracle``) and the step and epoch runs
(``step``) alike: the layout they describe, the cases they ask for (bounded before any is made), the candidate
started in its worker process, and the words that rerun it."""

from __future__ import annotations

import dataclasses
import os
import re

from compare.oracle.cases.limits import MAX_BATCH as DRAWN_BATCH
from compare.oracle.cases.limits import MAX_DEPTH as DRAWN_DEPTH
from compare.oracle.cases.limits import MAX_ELEMENTS
from compare.oracle.cases.limits import MAX_WIDTH as DRAWN_WIDTH

from . import args as cli
from .args import UsageError

PROFILES = {"fast": 2000, "thorough": 20000}
EXTREME_SHARE = 10          # with extremes on, one case in this many is an extreme one


def layout(args):
    """The Layout the options describe (a preset, then the single options over it)."""
    import dataclasses as dc

    from compare.oracle.sandbox.layouts import DEFAULT, FLAGS, PRESETS

    layout = PRESETS[args.preset] if args.preset else DEFAULT
    for field, value in (("weights", args.weights), ("biases", args.biases), ("examples", args.data),
                         ("grads", args.grads)):
        if value is not None:
            layout = dc.replace(layout, **{field: value.replace("-", "_")})
    flags = {f: True for f in FLAGS if getattr(args, f, False)}
    if getattr(args, "no_bias_in", None) is not None:
        layout = _no_bias(args, layout)
    if args.batches_only and args.batch == 0:
        raise UsageError("--batches-only with --batch 0 leaves nothing to check: give --batch M with M >= 1")
    try:
        return dc.replace(layout, **flags)
    except ValueError:
        raise UsageError("--one-example and --batches-only exclude each other (--preset nielsen implies "
                         "--one-example)") from None


def _no_bias(args, layout):
    """``layout`` with ``--no-bias-in LAYERS``; UsageError under ``--biases none``, where a word is not a layer,
    or a layer other than the first and the output is named while the depth is drawn (no case could lack it)."""
    from compare.oracle.sandbox.layouts import bare_layers

    text = args.no_bias_in
    if layout.biases == "none":
        raise UsageError("--no-bias-in names the layers without a bias of a network that has some; --biases none "
                         "says no layer has one: give one of the two")
    attribute_depth(args)
    depth = _fixed_depth(args)
    if args.case:
        from compare.oracle.cases.cases import parse_case

        try:
            depth = parse_case(args.case).depth
        except ValueError:
            pass                                        # refused in its own words with the case
    try:
        bare_layers(text, 1000 if depth is None else depth)
        anywhere = ("1", "-1", "output", "hidden", "above-first")       # a layer (or none) of every depth
        if depth is None and any(w.strip() not in anywhere for w in text.split(",")):
            raise ValueError("the depth is drawn, and a layer other than the first and the output is not in every "
                             "net")
    except ValueError as e:
        raise UsageError(f"--no-bias-in {text}: {e}; fix the depth with --depth (or --sizes) to name layers "
                         f"other than 1 and the output") from None
    return dataclasses.replace(layout, no_bias=text)


def load_target(spec: str):
    """``compare.oracle.sandbox.load.load_target``, with its refusal as a UsageError."""
    from compare.oracle.sandbox.load import CandidateError
    from compare.oracle.sandbox.load import load_target as load

    try:
        return load(spec)
    except CandidateError as e:
        raise UsageError(str(e)) from None


def start(args, spec: str):
    """The candidate ``spec`` (``--candidate``, ``--step``, ``--epoch``), imported and called only in its worker
    process; UsageError when it cannot be used (a missing or non-.py file refused without starting one)."""
    from compare.oracle.sandbox.load import CandidateError, split_spec
    from compare.oracle.sandbox.process import Isolated

    spec = _shipped(spec)
    path = split_spec(spec)[0]
    if not os.path.isfile(path) or not path.endswith(".py"):
        load_target(spec)                            # the refusal, in its words
    limit = None if args.memory_limit is None else int(args.memory_limit * 2**30)
    try:
        return Isolated(spec, memory_limit=limit, import_time_limit=args.import_time_limit)
    except CandidateError as e:
        raise UsageError(str(e)) from None


def _shipped(spec: str) -> str:
    """``spec`` itself, or, when it names a shipped control (``compare/controls/...py``) that is not there relative
    to the working directory, the same file in the installed package: the paths the README and the controls'
    reports print then work after ``pip install`` as they do in a checkout."""
    from pathlib import Path

    import compare
    from compare.oracle.sandbox.load import split_spec

    path, name = split_spec(spec)
    parts = Path(path).parts
    if os.path.lexists(path) or parts[:2] != ("compare", "controls"):
        return spec
    installed = Path(compare.__file__).resolve().parent.joinpath(*parts[1:])
    if not installed.is_file():
        return spec
    return str(installed) if name is None else f"{installed}:{name}"


def _attributes(args, form, spec: str):
    """``form`` with ``--attributes WEIGHTS,BIASES`` as where the object keeps its parameters (``forms.place``:
    ``W,b``, ``W1+W2,b1+b2``, ``layers[].W,layers[].b``; the weights alone where the biases are folded or absent);
    UsageError when they do not read so, or the candidate is a function (no object to set them on)."""
    from compare.oracle.sandbox.forms import METHOD, place

    text = getattr(args, "attributes", None)
    if text is None:
        return form
    specs = [n.strip() for n in text.split(",")]
    no_bias = (getattr(args, "biases", None) or "").startswith(("folded", "none"))
    if len(specs) == 1 and no_bias:
        specs.append(form.attributes[1])
    try:
        if len(specs) != 2 or specs[0] == specs[1]:
            raise ValueError("two different places are needed, the weights' and the biases'")
        for one in specs:
            place(one)
    except ValueError as e:
        raise UsageError(f"--attributes must say where the object keeps W and b, like W,b (lists), W1+W2,b1+b2 "
                         f"(one attribute per layer) or layers[].W,layers[].b; got {text!r}: {e}") from None
    if form.kind != METHOD:
        raise UsageError(f"--attributes names an object's attributes, for FILE.py:Class.method; {spec} names a "
                         "function")
    return form._replace(attributes=tuple(specs))


def _called(args, form):
    """``form`` with ``--call EXPR`` as how it is called (``forms.check_call``); UsageError when it cannot be."""
    from compare.oracle.sandbox.forms import METHOD, check_call

    text = getattr(args, "call", None)
    if text is None:
        return form
    try:
        update = bool(getattr(args, "step", None) or getattr(args, "epoch", None))
        return form._replace(call=check_call(text, update, form.kind == METHOD))
    except ValueError as e:
        raise UsageError(f"--call: {e}") from None


def attribute_depth(args) -> None:
    """``--attributes W1+W2,b1+b2`` names one attribute per layer, so the net's depth: set ``args.depth`` to it
    (UsageError where ``--depth``, ``--sizes``, ``--min-depth`` or the two counts say otherwise)."""
    from compare.oracle.sandbox.forms import layers_named

    text = getattr(args, "attributes", None)
    if text is None:
        return
    try:
        counts = {n for n in (layers_named(t) for t in text.split(",")) if n is not None}
    except ValueError:
        return                                    # refused in its own words by _attributes
    if not counts:
        return
    if len(counts) > 1:
        raise UsageError(f"--attributes {text} names a different number of layers for W and for b")
    depth = counts.pop()
    given = _fixed_depth(args)
    if given is not None and given != depth:
        raise UsageError(f"--attributes {text} names {depth} layers; --depth/--sizes say {given}")
    if getattr(args, "min_depth", None) is not None:
        raise UsageError(f"--attributes {text} fixes the depth at {depth}; --min-depth does not apply")
    if args.sizes is None:
        args.depth = depth


def attributes_note(spec: str, form, biases: bool = True) -> str | None:
    """A note for a failing FILE.py:Class.method run when the file defines the class and neither its text
    (``self.WEIGHTS``, or ``self.__W`` for a name mangled as ``_Class__W``) nor ``--call``'s expression
    (``.WEIGHTS``) reads the attribute the oracle sets the weight list on: the class likely keeps its parameters
    elsewhere. The file is read as text, never run here (a class it imports is not read). ``biases``: the net
    has biases to set (not ``--biases none``)."""
    from compare.oracle.sandbox.forms import METHOD, place
    from compare.oracle.sandbox.load import split_spec

    if form.kind != METHOD:
        return None
    try:
        with open(split_spec(spec)[0], encoding="utf-8", errors="replace") as f:
            text = f.read()
    except OSError:
        return None
    name = place(form.attributes[0]).names[0].split(".")[0]    # the list, the first layer's (or what holds it),
    #                                                               or the layers' list
    inherits = rf"^\s*class\s+{re.escape(form.cls)}\s*\(\s*(?!object\s*\))\w"     # a base other than object
    defined = rf"^\s*class\s+{re.escape(form.cls)}\b"
    read_by_call = form.call is not None and re.search(rf"\.{re.escape(name)}\b", form.call)
    mangled = f"_{form.cls.lstrip('_')}__"        # self.__W inside class C is the attribute _C__W
    written = "__" + name.removeprefix(mangled) if name.startswith(mangled) else name
    if re.search(rf"\bself\.({re.escape(name)}|{re.escape(written)})\b", text) \
            or re.search(inherits, text, re.MULTILINE) or not re.search(defined, text, re.MULTILINE) or read_by_call:
        return None          # read here, inherited from a class defined elsewhere, or defined elsewhere (imported),
        #                      or read by --call's expression (f.__self__.W handed on to where the class keeps it)
    b_on = f" and b on {form.attributes[1]!r}" if biases else ""
    return (f"note: the oracle sets the case's W on the object's {name!r}{b_on}, which "
            f"{cli.shown(split_spec(spec)[0])} never reads as self.{name}: if the class keeps them elsewhere, name "
            + ("them with --attributes WEIGHTS,BIASES (e.g. --attributes W,b)" if biases else
               "it with --attributes WEIGHTS (e.g. --attributes W)"))


def example_note(layout, report_ok: bool) -> str | None:
    """For a failing run under ``--data rows-2d``, ``columns`` or ``stacked-columns``: how a case the report calls
    "one example x (n_0,)" went to the candidate (the case is ours; the arrays it got are the layout's)."""
    shape = {"rows_2d": "a (1, n_0) row x and a (1, n_L) row y", "columns": "an (n_0, 1) column x and an (n_L, 1) "
             "column y", "stacked_columns": "an (n_0, 1) column x and an (n_L, 1) column y (a batch as a stack of "
             "them, (m, n_0, 1) and (m, n_L, 1))"}.get(layout.examples)
    if report_ok or shape is None:
        return None
    return (f"{layout.option('examples')}: a case of one example ('one example x (n_0,)' above, our form) went to "
            f"the candidate as {shape}")


def built_form(args, form, spec: str | None = None):
    """The candidate's ``Form`` with ``--make``'s constructor expression as its ``build``; UsageError when the
    expression is malformed, names no object (a function candidate), or is missing where ``Class(sizes)``
    cannot work (``forms.UNBUILT``). ``spec``: the file named in the messages (default ``--candidate``'s; a
    ``--step`` or ``--epoch`` object is built the same way)."""
    from compare.oracle.sandbox.forms import METHOD, UNBUILT, check_build, takes_eta

    spec = spec or args.candidate
    form = _called(args, _attributes(args, form, spec))
    if args.make is None:
        if form.build == UNBUILT:
            raise UsageError(f"{spec}: {form.cls}(sizes) does not work: the oracle builds the object as "
                             f"{form.cls}([n_0, ..., n_L]) and then sets its weights and biases; give how to build "
                             f"it, e.g. --make '{form.cls}(sizes, seed=0)'")
        return form
    if form.kind != METHOD:
        raise UsageError(f"--make builds an object, for FILE.py:Class.method; {spec} names a function")
    try:
        fixed = args.sizes is not None and None not in _sizes(args.sizes)     # every case the same net
        fixed = fixed or bool(getattr(args, "attributes", None))   # the arrays set give the object its sizes
        form = form._replace(build=check_build(args.make, fixed))
    except ValueError as e:
        raise UsageError(f"--make: {e}") from None
    if takes_eta(form.build) and not (getattr(args, "step", None) or getattr(args, "epoch", None)):
        raise UsageError("--make: eta is the learning rate of --step and --epoch; a gradient has none")
    return form


def candidate_words(args) -> list[str]:
    """The candidate (escaped by ``args.shown``) and its convention options as typed, for the reproduce line."""
    import shlex

    words = [cli.shown(args.candidate)]
    for option in ("preset", "weights", "biases", "no_bias_in", "data", "grads", "scale", "make", "call",
                   "attributes", "sizes", "depth", "min_depth", "batch"):
        value = getattr(args, option, None)
        if value is not None:
            words += [f"--{option.replace('_', '-')}", f"'{value}'" if option == "scale" else shlex.quote(str(value))]
    for flag in ("grads_reversed", "lists", "one_example", "batches_only", "negated_bias", "strict_dtype"):
        words += [f"--{flag.replace('_', '-')}"] * bool(getattr(args, flag, False))
    return words


def _fixed_depth(args) -> int | None:
    """The depth ``--depth`` or ``--sizes`` fixes, or None where it is drawn."""
    if args.depth is not None:
        return args.depth
    return len(_sizes(args.sizes)) - 1 if args.sizes else None


def _sizes(text: str) -> tuple[int | None, ...]:
    """``--sizes N0-N1-...``: two or more layer sizes, each a positive integer or ``*`` (drawn for every case, as
    without ``--sizes``: ``*-4-3-1`` fixes the depth and three widths of a net whose input width is free), at
    most ``args.MAX_DEPTH`` layers (``check_bounds`` bounds the numbers they hold). Separated by ``-`` or by
    ``,``, one of the two: ``3,5-4-3-1`` is refused rather than read as five layers."""
    parts = text.split("," if "," in text else "-")
    try:
        sizes = tuple(None if p.strip() == "*" else int(p) for p in parts)
    except ValueError:
        sizes = ()
    if "," in text and "-" in text or len(sizes) < 2 or min((n for n in sizes if n is not None), default=1) < 1:
        raise UsageError(f"--sizes must be two or more layer sizes like 784-30-10 (a size may be * for a drawn "
                         f"width, e.g. *-30-10), separated by - or by , alone, got {text!r}")
    _check_depth(len(sizes) - 1, "--sizes")
    return sizes


def _check_depth(depth: int, option: str) -> None:
    """UsageError beyond ``args.MAX_DEPTH`` layers: the reference's compile time and memory grow with the depth
    (1000 layers take about 95 s and 3.5 GB a case), so a deeper net is a typo, not a run."""
    if depth > cli.MAX_DEPTH:
        raise UsageError(f"{option} has depth {depth:,}; at most {cli.MAX_DEPTH} layers are supported")


def _case_numbers(sizes, batch: int) -> int:
    """Numbers in a case's W, b, x and y: sizes ``n_0..n_L`` and batch m (0: one example)."""
    return sum(a * b + b for a, b in zip(sizes, sizes[1:])) + max(batch, 1) * (sizes[0] + sizes[-1])


def check_bounds(args) -> None:
    """UsageError unless every case the options ask for fits: at most ``args.MAX_DEPTH`` layers and ``MAX_ELEMENTS``
    (2^28) numbers in its arrays, counting what is drawn at its largest (widths up to 64, depth 6, batch 16)
    where ``--sizes``, ``--depth`` or ``--batch`` leave it open. Checked before any case is made, so a mistyped
    exponent costs no allocation; the bound is the one ``--case`` specs have (``cases.parse_case``)."""
    attribute_depth(args)
    if args.case:
        from compare.oracle.cases.cases import parse_case

        try:
            case = parse_case(args.case)
        except ValueError as e:
            raise UsageError(str(e)) from None
        _check_depth(case.depth, "--case")
        return
    sizes = _sizes(args.sizes) if args.sizes is not None else None
    if sizes is not None and args.depth is not None and len(sizes) - 1 != args.depth:
        raise UsageError(f"--sizes {args.sizes} has depth {len(sizes) - 1}, not --depth {args.depth}")
    if getattr(args, "min_depth", None) is not None and (sizes is not None or args.depth is not None):
        raise UsageError("--min-depth sets a least depth for drawn depths; --sizes and --depth fix the depth: give one")
    if sizes is None and args.batch is None:
        return
    batch = args.batch if args.batch is not None else DRAWN_BATCH
    if sizes is not None:
        largest, what = tuple(DRAWN_WIDTH if n is None else n for n in sizes), f"--sizes {args.sizes}"
    else:
        depth = args.depth if args.depth is not None else DRAWN_DEPTH
        largest, what = (DRAWN_WIDTH,) * (depth + 1), f"widths up to {DRAWN_WIDTH} (drawn), depth {depth}"
    numbers = _case_numbers(largest, batch)
    if numbers > MAX_ELEMENTS:
        batch_text = f"--batch {args.batch}" if args.batch is not None else f"a batch up to {DRAWN_BATCH} (drawn)"
        raise UsageError(f"{what} with {batch_text} makes cases of up to {numbers:,} numbers; at most "
                         f"{MAX_ELEMENTS:,} (2^28) are supported: lower --batch or the widths")


def cases(args, single_only: bool):
    from compare.oracle.cases.cases import draw_default, draw_sized_default, parse_case

    if args.case:
        try:
            cases = [parse_case(args.case)]
        except ValueError as e:
            raise UsageError(str(e)) from None
    else:
        dtypes = ("float64", "float32") if args.dtype == "both" else (args.dtype,)
        n = args.examples if args.examples is not None else PROFILES[args.profile]
        extreme = 0
        checked_elsewhere = args.candidate or getattr(args, "step", None) or getattr(args, "epoch", None)
        if args.extremes and (getattr(args, "step", None) or getattr(args, "epoch", None)):
            raise UsageError("--extremes applies to gradients (the built-in suite); --step and --epoch draw "
                             "ordinary cases")
        if args.extremes if args.extremes is not None else not checked_elsewhere:
            from compare.oracle.reference.longdouble import available

            if not available() and args.extremes:
                raise UsageError("--extremes needs a long double wider than float64, which this platform lacks")
            extreme = n // EXTREME_SHARE if available() and args.sizes is None and args.depth is None \
                and getattr(args, "min_depth", None) is None \
                and args.batch is None else 0
        min_depth = getattr(args, "min_depth", None)
        if args.sizes is None and args.depth is None and args.batch is None and min_depth is None:
            cases = draw_default(n - extreme, args.seed, dtypes)                # saturating cases too
        else:
            sizes = _sizes(args.sizes) if args.sizes is not None else None     # bounded by _check_bounds
            cases = draw_sized_default(n, args.seed, dtypes, sizes=sizes, depth=args.depth, batch=args.batch,
                                       min_depth=min_depth)
        if extreme:
            from compare.oracle.cases.cases import draw_extreme_cases

            cases += draw_extreme_cases(extreme, args.seed, dtypes)
    if single_only:
        cases = [dataclasses.replace(c, batch=0) for c in cases]
    return cases
