"""Dependencies point one way (DESIGN.md): the kernel imports no app; organizations <- volunteers <-
marketplace <- duties <- frontend; a lower app tells a higher one what happened through a signal."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KERNEL = "marketplace.core"
# Each package, with the packages it may import (besides the kernel and itself).
LAYERS = {
    "organizations": set(),
    "volunteers": {"organizations"},
    "marketplace": {"organizations", "volunteers"},
    "duties": {"organizations", "volunteers", "marketplace"},
    "frontend": {"organizations", "volunteers", "marketplace", "duties"},
}
# The Django project's own wiring (settings, urls, routing, asgi) lists every app by design.
PROJECT_MODULES = {
    "marketplace.settings",
    "marketplace.urls",
    "marketplace.asgi",
    "marketplace.wsgi",
    "marketplace.routing",
}


def owner(module: str) -> str:
    if module == KERNEL or module.startswith(KERNEL + "."):
        return KERNEL
    return module.split(".")[0]


def imported_by(source: str) -> list[str]:
    """Every module (or module attribute) named by an import anywhere in ``source``, lazy or not."""
    targets = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            targets += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            targets += [f"{node.module}.{alias.name}" for alias in node.names]
    return targets


def imports():
    for path in ROOT.glob("*/**/*.py"):
        relative = path.relative_to(ROOT)
        if relative.parts[0] not in LAYERS or "migrations" in relative.parts:
            continue
        module = ".".join(relative.with_suffix("").parts).removesuffix(".__init__")
        for target in imported_by(path.read_text()):
            if owner(target) in LAYERS or owner(target) == KERNEL:
                yield module, target


def test_imports_point_one_way():
    wrong = []
    for module, target in imports():
        if module in PROJECT_MODULES:
            continue
        source, dest = owner(module), owner(target)
        if dest in (source, KERNEL):
            continue
        if source == KERNEL or dest not in LAYERS[source]:
            wrong.append(f"{module} imports {target}")
    assert wrong == []


def test_the_kernel_imports_no_app():
    assert [f"{m} imports {t}" for m, t in imports() if owner(m) == KERNEL and owner(t) != KERNEL] == []


def test_the_check_sees_lazy_imports_and_from_imports():
    source = "from marketplace import signals\n\ndef f():\n    from duties.services import duty_credit_case\n"
    assert imported_by(source) == ["marketplace.signals", "duties.services.duty_credit_case"]
    assert ("duties.receivers", "marketplace.signals") in set(imports())
