#!/usr/bin/env python3
"""Generates server/src/catalog/generated.rs from Liquibase's changelog XSDs.

Usage:
    scripts/gen_catalog.py [--xsd NEWEST.xsd] [--jar liquibase-core.jar] [--out generated.rs]

The newest XSD (default: ../shared/reference/xsd/dbchangelog-4.33.xsd) defines the catalog: every element
definition with its attributes and allowed children. Every older `dbchangelog-X.Y.xsd` inside the Liquibase
jar is resolved the same way to compute `since`: the first version whose XSD has the child/attribute at the
same place. Something only the newest XSD has gets the version right after the newest one in the jar (the
earliest release that can have it).

Element definitions are keyed by where their content model comes from, so the same name can mean different
things in different places (`column` in createTable vs loadData):
  * a global element:                       its name                  (`createTable`, `column`)
  * a named complexType:                    the type name             (`columnType`)
  * an anonymous type inside another:       parent key + '/' + name   (`loadData/column`)
  * a simple-typed or untyped local element: parent key + '/' + name  (`update/where`)

Python standard library only. CI never runs this; rerun it by hand when a new XSD is added and commit the
output (`cargo fmt` is applied by the script when cargo is on PATH).
"""

import argparse
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile

XS = "{http://www.w3.org/2001/XMLSchema}"
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
DEFAULT_XSD = os.path.join(REPO, "..", "shared", "reference", "xsd", "dbchangelog-4.33.xsd")
DEFAULT_JAR = "/tmp/liquibase-cli/liquibase/bin/internal/lib/liquibase-core.jar"
DEFAULT_OUT = os.path.join(REPO, "server", "src", "catalog", "generated.rs")
JAR_DIR = "www.liquibase.org/xml/ns/dbchangelog/"

INTEGER_TYPES = {"int", "integer", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
                 "unsignedInt", "unsignedLong"}


def local(qname):
    """`xsd:string` -> (`xsd`, `string`); `booleanExp` -> (None, `booleanExp`)."""
    if qname and ":" in qname:
        p, n = qname.split(":", 1)
        return p, n
    return None, qname


class Def:
    def __init__(self, key, name):
        self.key = key
        self.name = name
        self.attrs = {}  # name -> (kind, required)
        self.children = {}  # name -> def key
        self.any_attrs = "none"  # none | other | any
        self.any_children = "none"  # none | other | any
        self.text = False


class Schema:
    """One XSD resolved into element definitions."""

    def __init__(self, text):
        root = ET.fromstring(text)
        self.elements, self.types, self.simple, self.groups, self.agroups = {}, {}, {}, {}, {}
        for node in root:
            name = node.get("name")
            table = {
                XS + "element": self.elements,
                XS + "complexType": self.types,
                XS + "simpleType": self.simple,
                XS + "group": self.groups,
                XS + "attributeGroup": self.agroups,
            }.get(node.tag)
            if table is not None and name:
                table[name] = node
        self.defs = {}
        self.root = self.global_element("databaseChangeLog")

    # --- element definitions -------------------------------------------------------------------------
    def global_element(self, name):
        if name in self.defs:
            return name
        node = self.elements.get(name)
        if node is None:
            raise SystemExit(f"unresolved element ref {name}")
        return self.element_def(node, name, name)

    def element_def(self, node, key, name):
        """Builds the definition of element `node` under `key` (or reuses a named type's)."""
        prefix, typ = local(node.get("type"))
        if typ and prefix is None and typ in self.types:
            if typ not in self.defs:
                d = self.defs[typ] = Def(typ, name)
                self.complex_type(d, self.types[typ])
            return typ
        if key in self.defs:
            return key
        d = self.defs[key] = Def(key, name)
        ct = node.find(XS + "complexType")
        if typ:
            d.text = True  # simple type: text only
        elif ct is not None:
            self.complex_type(d, ct)
        elif node.find(XS + "simpleType") is not None:
            d.text = True
        else:
            # No type at all is xsd:anyType: any attributes, any children, text.
            d.text, d.any_attrs, d.any_children = True, "any", "any"
        return key

    def complex_type(self, d, ct):
        if ct.get("mixed") == "true":
            d.text = True
        for part in ct:
            tag = part.tag
            if tag in (XS + "sequence", XS + "choice", XS + "all", XS + "group"):
                self.particle(d, part)
            elif tag == XS + "simpleContent":
                d.text = True
                for ext in part:
                    self.attributes(d, ext)
            elif tag == XS + "complexContent":
                if part.get("mixed") == "true":
                    d.text = True
                for ext in part:
                    _, base = local(ext.get("base"))
                    if base in self.types:
                        self.complex_type(d, self.types[base])
                    self.complex_type(d, ext)
            else:
                self.attributes(d, part, only=tag)

    def particle(self, d, node):
        tag = node.tag
        if tag == XS + "element":
            if node.get("ref"):
                _, ref = local(node.get("ref"))
                self.add_child(d, ref, self.global_element(ref))
            else:
                name = node.get("name")
                self.add_child(d, name, self.element_def(node, f"{d.key}/{name}", name))
        elif tag == XS + "group":
            if node.get("ref"):
                _, ref = local(node.get("ref"))
                self.particle(d, self.groups[ref])
            else:
                for sub in node:
                    self.particle(d, sub)
        elif tag in (XS + "sequence", XS + "choice", XS + "all"):
            for sub in node:
                self.particle(d, sub)
        elif tag == XS + "any":
            d.any_children = widen(d.any_children, "other" if node.get("namespace") == "##other" else "any")

    def add_child(self, d, name, key):
        old = d.children.get(name)
        if old is not None and old != key:
            raise SystemExit(f"{d.key}: child {name} is both {old} and {key}")
        d.children[name] = key

    def attributes(self, d, node, only=None):
        tag = only or node.tag
        if tag == XS + "attribute":
            if node.get("ref"):
                return  # xml:lang and friends: namespaced, never validated
            d.attrs[node.get("name")] = (self.kind(node), node.get("use") == "required")
        elif tag == XS + "attributeGroup":
            if node.get("ref"):
                _, ref = local(node.get("ref"))
                for sub in self.agroups[ref]:
                    self.attributes(d, sub)
            else:
                for sub in node:
                    self.attributes(d, sub)
        elif tag == XS + "anyAttribute":
            d.any_attrs = widen(d.any_attrs, "other" if node.get("namespace") == "##other" else "any")
        elif tag == XS + "extension" or tag == XS + "restriction":
            for sub in node:
                self.attributes(d, sub)

    # --- value kinds ---------------------------------------------------------------------------------
    def kind(self, attr):
        inline = attr.find(XS + "simpleType")
        if inline is not None:
            return self.simple_kind(inline)
        prefix, typ = local(attr.get("type"))
        if typ is None:
            return ("string",)
        if prefix is not None:
            return builtin_kind(typ)
        if typ == "booleanExp":
            return ("boolean", "expr")
        if typ == "integerExp":
            return ("integer", "expr")
        if typ in self.simple:
            return self.simple_kind(self.simple[typ])
        return ("string",)

    def simple_kind(self, st):
        restriction = st.find(XS + "restriction")
        if restriction is not None:
            values = [e.get("value") for e in restriction.findall(XS + "enumeration")]
            if values:
                return ("enum", tuple(values))
            prefix, base = local(restriction.get("base"))
            if prefix is not None:
                return builtin_kind(base)
            if base in self.simple:
                return self.simple_kind(self.simple[base])
        return ("string",)


def builtin_kind(typ):
    if typ == "boolean":
        return ("boolean",)
    if typ in INTEGER_TYPES:
        return ("integer",)
    return ("string",)


def widen(a, b):
    order = ["none", "other", "any"]
    return a if order.index(a) >= order.index(b) else b


# --- since ---------------------------------------------------------------------------------------------
def version_key(v):
    return tuple(int(p) for p in v.split("."))


def older_schemas(jar):
    with zipfile.ZipFile(jar) as z:
        found = []
        for n in z.namelist():
            m = re.fullmatch(re.escape(JAR_DIR) + r"dbchangelog-(\d+\.\d+)\.xsd", n)
            if m:
                found.append((m.group(1), z.read(n).decode("utf-8")))
    found.sort(key=lambda p: version_key(p[0]))
    return found


def places(schema):
    """Every (def-key, 'child'|'attr', name) the schema allows, plus the element names reachable by path.

    Keys can differ between versions when a content model moved (an anonymous type became a named one),
    so places are also recorded by element-name path from the root; `since` accepts either match.
    """
    keyed = set()
    for d in schema.defs.values():
        for c in d.children:
            keyed.add((d.key, "child", c))
        for a in d.attrs:
            keyed.add((d.key, "attr", a))
    return keyed, paths(schema)


def paths(schema, limit=12):
    """Name paths from the root (`databaseChangeLog/changeSet/createTable`) -> def key, depth-limited."""
    out = {}
    todo = [(schema.root, "databaseChangeLog", 0)]
    while todo:
        key, path, depth = todo.pop()
        if path in out or depth > limit:
            continue
        out[path] = key
        for name, child in schema.defs[key].children.items():
            todo.append((child, f"{path}/{name}", depth + 1))
    return out


def compute_since(newest, newest_version, olders):
    """since[(key, kind, name)] = first version having it (by key or by a name path to the same def)."""
    new_paths = paths(newest)
    by_key_paths = {}
    for p, k in new_paths.items():
        by_key_paths.setdefault(k, []).append(p)
    history = []
    for version, text in olders:
        try:
            s = Schema(text)
        except SystemExit as e:
            print(f"warning: XSD {version} skipped: {e}", file=sys.stderr)
            continue
        keyed, old_paths = places(s)
        history.append((version, s, keyed, old_paths))
    next_version = bump(olders[-1][0]) if olders else newest_version
    since = {}
    # Requiredness changed over time (loadData `file` became required in 4.x): record the first
    # version from which an attribute required now has been required in every XSD since.
    for d in newest.defs.values():
        for name, (_, required) in d.attrs.items():
            if not required:
                continue
            first = next_version
            for version, s, keyed, old_paths in reversed(history):
                if old_required(d.key, name, by_key_paths, s, old_paths):
                    first = version
                else:
                    break
            since[(d.key, "required", name)] = first
    for d in newest.defs.values():
        items = [("child", c) for c in d.children] + [("attr", a) for a in d.attrs]
        for kind, name in items:
            found = None
            for version, s, keyed, old_paths in history:
                if (d.key, kind, name) in keyed or by_path(d.key, kind, name, by_key_paths, s, old_paths):
                    found = version
                    break
            since[(d.key, kind, name)] = found or next_version
    return since


def by_path(key, kind, name, by_key_paths, s, old_paths):
    for p in by_key_paths.get(key, []):
        old_key = old_paths.get(p)
        if old_key is None:
            continue
        od = s.defs[old_key]
        if (kind == "child" and name in od.children) or (kind == "attr" and name in od.attrs):
            return True
    return False


def old_required(key, name, by_key_paths, s, old_paths):
    """Whether an older schema requires attribute `name` at the place of `key`."""
    olds = [key] if key in s.defs else []
    olds += [old_paths[p] for p in by_key_paths.get(key, []) if p in old_paths]
    return any(name in s.defs[k].attrs and s.defs[k].attrs[name][1] for k in olds)


def bump(v):
    major, minor = v.split(".")
    return f"{major}.{int(minor) + 1}"


# --- output --------------------------------------------------------------------------------------------
def rust_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def rust_version(v):
    major, minor = v.split(".")
    return f"Version::new({major}, {minor})"


def rust_kind(kind):
    if kind[0] == "boolean":
        return "ValueKind::Boolean"
    if kind[0] == "integer":
        return "ValueKind::Integer"
    if kind[0] == "enum":
        return "ValueKind::Enum(&[" + ", ".join(rust_str(v) for v in kind[1]) + "])"
    return "ValueKind::String"


def rust_any(a):
    return {"none": "Any::None", "other": "Any::OtherNamespace", "any": "Any::Anything"}[a]


def change_types(schema):
    """Change types: what a changeSet may hold besides its bookkeeping elements."""
    cs = schema.defs[schema.defs[schema.root].children["changeSet"]]
    not_changes = {"comment", "rollback", "validCheckSum", "preConditions", "modifySql"}
    return sorted(n for n in cs.children if n not in not_changes)


def generate(newest, newest_version, since, source_note):
    keys = sorted(newest.defs)
    index = {k: i for i, k in enumerate(keys)}
    out = []
    w = out.append
    w("// @generated by scripts/gen_catalog.py from Liquibase's dbchangelog XSDs. Do not edit by hand.")
    w(f"// Sources: {source_note}.")
    w("// Regenerate: python3 scripts/gen_catalog.py [--xsd NEWEST.xsd] [--jar liquibase-core.jar]")
    w("")
    w("use super::model::{Any, AttrDef, ChildDef, ElementDef, ValueKind, Version};")
    w("")
    w(f"/// The newest XSD version the catalog was generated from.")
    w(f"pub const NEWEST: Version = {rust_version(newest_version)};")
    w("")
    w(f"/// Index of `databaseChangeLog` in [`ELEMENTS`].")
    w(f"pub const ROOT: usize = {index[newest.root]};")
    w("")
    w("/// Change types (what a changeSet or rollback may hold as a change), sorted.")
    w("pub const CHANGE_TYPES: &[&str] = &[")
    for n in change_types(newest):
        w(f"    {rust_str(n)},")
    w("];")
    w("")
    # Attribute lists are shared: many definitions (a column in createTable, addColumn, ...) have
    # exactly the same attributes, and one named list each keeps the file small and reviewable.
    lists = {}
    attr_lists = {}
    for k in keys:
        d = newest.defs[k]
        rows = []
        for a in sorted(d.attrs):
            kind, required = d.attrs[a]
            # `${...}` passes XSD validation only where the type unions in `propertyExpression`
            # (booleanExp, integerExp) or is free text.
            expr = kind[0] == "string" or kind[-1] == "expr"
            rows.append(f"    AttrDef {{ name: {rust_str(a)}, kind: {rust_kind(kind)}, "
                        f"required: {'true' if required else 'false'}, "
                        f"required_since: {rust_version(since.get((k, 'required', a), '1.0'))}, "
                        f"properties: {'true' if expr else 'false'}, "
                        f"since: {rust_version(since[(k, 'attr', a)])} }},")
        body = "\n".join(rows)
        if body not in lists:
            lists[body] = f"ATTRS_{len(lists)}"
        attr_lists[k] = lists[body]
    for body, name in lists.items():
        w("#[rustfmt::skip]")
        w(f"const {name}: &[AttrDef] = &[")
        if body:
            w(body)
        w("];")
    w("")
    w("/// Every element definition, sorted by key. Children and attributes are sorted by name.")
    w("#[rustfmt::skip]")
    w("pub static ELEMENTS: &[ElementDef] = &[")
    for k in keys:
        d = newest.defs[k]
        w(f"    ElementDef {{ key: {rust_str(d.key)}, name: {rust_str(d.name)}, "
          f"text: {'true' if d.text else 'false'}, any_attrs: {rust_any(d.any_attrs)}, "
          f"any_children: {rust_any(d.any_children)}, attrs: {attr_lists[k]}, children: &["
          + ("" if d.children else "] },"))
        if d.children:
            for c in sorted(d.children):
                w(f"        ChildDef {{ name: {rust_str(c)}, def: {index[d.children[c]]}, "
                  f"since: {rust_version(since[(k, 'child', c)])} }},")
            w("    ] },")
    w("];")
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--xsd", default=DEFAULT_XSD)
    ap.add_argument("--jar", default=DEFAULT_JAR)
    ap.add_argument("--out", default=DEFAULT_OUT)
    args = ap.parse_args()
    m = re.search(r"dbchangelog-(\d+\.\d+)\.xsd$", args.xsd)
    if not m:
        raise SystemExit("--xsd must be named dbchangelog-X.Y.xsd")
    newest_version = m.group(1)
    with open(args.xsd, encoding="utf-8") as f:
        newest = Schema(f.read())
    olders = [(v, t) for v, t in older_schemas(args.jar) if version_key(v) < version_key(newest_version)]
    since = compute_since(newest, newest_version, olders)
    note = f"dbchangelog-{newest_version}.xsd; since from dbchangelog-{{{', '.join(v for v, _ in olders)}}}.xsd in liquibase-core.jar"
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(generate(newest, newest_version, since, note))
    try:
        subprocess.run(["rustfmt", "--edition", "2021", args.out], check=False)
    except OSError:
        print("rustfmt not found: run cargo fmt", file=sys.stderr)
    print(f"wrote {args.out}: {len(newest.defs)} element definitions", file=sys.stderr)


if __name__ == "__main__":
    main()
