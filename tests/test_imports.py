"""The arrows of minigan's imports point one way: no module imports, at any depth and inside
functions too, a module that imports it back, but for the one loop that operator overloading needs
(Tensor's operators call the ops; the ops build Tensors): minigan.autograd with minigan.ops."""
import ast
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[1] / "minigan"
ALLOWED = {"minigan.autograd", "minigan.ops"}      # the ops package and its modules, with autograd


def modules():
    found = {}
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imported(name, path, known):
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in known:              # `import minigan.gan.gan` names the module
                target = target.rpartition(".")[0]
            if target and target != name and target != "minigan":
                yield target


def import_graph():
    known = modules()
    return {name: set(imported(name, path, known)) for name, path in known.items()}


def strongly_connected(graph):
    """Tarjan's components, iteratively."""
    index, low, on_stack, stack, components, counter = {}, {}, set(), [], [], [0]
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter[0]
        counter[0] += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == node:
                            break
                    components.append(component)
            elif child not in index:
                index[child] = low[child] = counter[0]
                counter[0] += 1
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(graph[child]))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return [c for c in components if len(c) > 1]


def allowed(component):
    return all(m == "minigan.autograd" or m == "minigan.ops" or m.startswith("minigan.ops.") for m in component)


def test_no_import_cycle_but_the_operator_loop():
    cycles = [sorted(c) for c in strongly_connected(import_graph()) if not allowed(c)]
    assert cycles == []


def test_the_walk_finds_a_planted_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert strongly_connected(graph) == [{"a", "b", "c"}]


def test_the_operator_loop_is_where_it_is_stated():
    graph = import_graph()
    assert "minigan.ops" in graph["minigan.autograd"] and "minigan.autograd" in graph["minigan.ops.elementwise"]
    assert "minigan.autograd" not in graph["minigan.backprop"]
    text = (ROOT / "autograd.py").read_text()
    assert "The one import loop of minigan" in text
