"""libyaml's reading of YAML files, for differential.rs beside it.

Reads a JSON list of file paths on standard input and writes, for each, a JSON object: either
{"ok": true, "docs": [...]} with every non-empty document as JSON, or {"ok": false, "kind": ...,
"error": ...}. Parsing is libyaml's (PyYAML's CSafeLoader); what the parsed scalars *mean* is
normalised to the schema kijun documents (crates/kijun-yaml/src/scalar.rs), because PyYAML types
plain scalars by YAML 1.1 (`yes` is a boolean, `1_000` an integer, `2001-12-14` a date) where
kijun, like the YAML 1.2 core schema and kubectl for the string fields of its objects, does not:

- plain scalars resolve as in YAML 1.2's core schema (null, true/false, integers in decimal,
  0x hex and 0o octal, floats, .inf/.nan), plus YAML 1.1's leading-zero octal (0644) kept for
  Kubernetes file modes; explicit !!int/!!float/!!bool/!!null tags are read the same way;
- numbers are compared as 64-bit floats (kijun's model has one number type); non-finite ones as
  {"float": "inf" | "-inf" | "nan"};
- mapping keys are the text of the key scalar (`1: a` has the key "1"), as kijun has them;
- a local tag (`!Ref x`) becomes {"!Ref": x}; other core tags (!!binary, !!timestamp, !!set,
  !!omap, !!pairs) add nothing: the node is read as if untagged;
- a document that is empty (nothing, or only comments, after `---`) is left out.

Two kinds of input libyaml accepts are reported as such rather than read, because kijun rejects
them on purpose: a mapping key that is itself a mapping or list ("complex-key": kijun's values,
like JSON and kubectl's conversion of YAML to JSON, have string keys only), and PyYAML's own
refusal of a repeated anchor name ("duplicate-anchor": PyYAML's composer refuses it, libyaml's
parser and go-yaml accept it and YAML 1.2 says an alias refers to the most recent node with
that anchor, which is what kijun does).
"""

import json
import math
import re
import sys

import yaml

if not yaml.__with_libyaml__:
    sys.stderr.write("PyYAML was built without libyaml: CSafeLoader is not available\n")
    sys.exit(3)

CORE = "tag:yaml.org,2002:"
NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
INT = re.compile(r"^[-+]?(?:0x[0-9a-fA-F]+|0o[0-7]+|[0-9]+)$")
FLOAT = re.compile(
    r"^(?:[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)


class ComplexKey(Exception):
    pass


def to_int(text):
    if not INT.match(text):
        return None
    sign = -1 if text.startswith("-") else 1
    digits = text.lstrip("+-")
    if digits.startswith("0x"):
        value = int(digits[2:], 16)
    elif digits.startswith("0o"):
        value = int(digits[2:], 8)
    elif len(digits) > 1 and digits.startswith("0") and all(c in "01234567" for c in digits):
        value = int(digits, 8)
    else:
        value = int(digits, 10)
    try:
        return float(sign * value)
    except OverflowError:
        return sign * math.inf


def to_float(text):
    if not FLOAT.match(text):
        return None
    low = text.lower()
    if low.endswith(".inf"):
        return -math.inf if text.startswith("-") else math.inf
    if low == ".nan":
        return math.nan
    return float(text)


def plain(text):
    if NULL.match(text):
        return None
    if BOOL.match(text):
        return text.lower() == "true"
    number = to_int(text)
    if number is None:
        number = to_float(text)
    if number is not None:
        return number
    return text


class Loader(yaml.CSafeLoader):
    yaml_implicit_resolvers = {}
    yaml_constructors = dict(yaml.CSafeLoader.yaml_constructors)
    yaml_multi_constructors = {}


PLAIN = "tag:kijun,plain"
Loader.add_implicit_resolver(CORE + "merge", re.compile(r"^<<$"), None)
# Every other plain scalar is typed by `plain` when constructed.
Loader.add_implicit_resolver(PLAIN, re.compile(r"", re.S), None)


def untagged(loader, node):
    if isinstance(node, yaml.ScalarNode):
        return plain(node.value) if not node.style else node.value
    if isinstance(node, yaml.SequenceNode):
        return [loader.construct_object(n, deep=True) for n in node.value]
    return mapping(loader, node)


def mapping(loader, node):
    if not isinstance(node, yaml.MappingNode):
        raise yaml.constructor.ConstructorError(None, None, "expected a mapping", node.start_mark)
    loader.flatten_mapping(node)
    out = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise ComplexKey()
        out[key_node.value] = loader.construct_object(value_node, deep=True)
    return out


def scalar_as(parse, name):
    def construct(loader, node):
        text = loader.construct_scalar(node)
        value = parse(text)
        if value is None and name != "null":
            raise yaml.constructor.ConstructorError(
                None, None, "not a valid " + name, node.start_mark
            )
        return value

    return construct


def null(text):
    if not NULL.match(text):
        raise yaml.constructor.ConstructorError(None, None, "not a valid null", None)
    return None


def boolean(text):
    return (text.lower() == "true") if BOOL.match(text) else None


Loader.add_constructor(CORE + "str", lambda l, n: l.construct_scalar(n))
Loader.add_constructor(CORE + "int", scalar_as(to_int, "int"))
Loader.add_constructor(CORE + "float", scalar_as(lambda t: to_float(t) if to_float(t) is not None else to_int(t), "float"))
Loader.add_constructor(CORE + "bool", scalar_as(boolean, "bool"))
Loader.add_constructor(CORE + "null", scalar_as(null, "null"))
def sequence(loader, node):
    if not isinstance(node, yaml.SequenceNode):
        raise yaml.constructor.ConstructorError(None, None, "expected a sequence", node.start_mark)
    return [loader.construct_object(c, deep=True) for c in node.value]


Loader.add_constructor(PLAIN, lambda l, n: plain(n.value))
Loader.add_constructor(CORE + "seq", sequence)
Loader.add_constructor(CORE + "map", mapping)
for other in ("binary", "timestamp", "set", "omap", "pairs", "value", "yaml", "merge"):
    Loader.add_constructor(CORE + other, untagged)
Loader.add_multi_constructor(CORE, lambda l, suffix, n: untagged(l, n))


def local(loader, suffix, node):
    return {node.tag: untagged(loader, node)}


Loader.add_multi_constructor("!", local)
Loader.add_multi_constructor("tag:", local)
Loader.add_multi_constructor("", local)


def jsonable(value):
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        value = float(value)
        if math.isnan(value):
            return {"float": "nan"}
        if math.isinf(value):
            return {"float": "inf" if value > 0 else "-inf"}
        return value
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    raise TypeError(type(value).__name__)


def empty(node):
    return isinstance(node, yaml.ScalarNode) and node.value == "" and not node.style and node.tag == PLAIN


def read(path):
    with open(path, "rb") as f:
        data = f.read()
    loader = Loader(data)
    docs = []
    try:
        while loader.check_node():
            node = loader.get_node()
            if empty(node):
                continue
            docs.append(jsonable(loader.construct_document(node)))
    except ComplexKey:
        return {"ok": False, "kind": "complex-key", "error": "a mapping key is a collection"}
    except yaml.composer.ComposerError as e:
        kind = "duplicate-anchor" if "duplicate anchor" in str(e) else "error"
        return {"ok": False, "kind": kind, "error": " ".join(str(e).split())}
    except (yaml.YAMLError, ValueError, TypeError, RecursionError) as e:
        return {"ok": False, "kind": "error", "error": " ".join(str(e).split())}
    finally:
        loader.dispose()
    return {"ok": True, "docs": docs}


def main():
    paths = json.load(sys.stdin)
    json.dump([read(p) for p in paths], sys.stdout)


if __name__ == "__main__":
    main()
