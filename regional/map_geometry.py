"""Approximate county boundaries for the map, drawn as SVG paths on the server.

No licensed second-level boundaries of the DPRK are published in a package registry, so each county's area is
its Voronoi cell around the county's centroid (reference data), clipped to the national outline from Natural
Earth (public domain, vendored from the npm `world-atlas` package). Pages say the boundaries are approximate.

The geometry depends only on the located counties: it is computed once per process for a given set of
(county, province, latitude, longitude) and recomputed when that set changes (`map_geometry` is cached on it).
"""

import functools
import json
import math
from dataclasses import dataclass
from decimal import Decimal

import shapely
from django.conf import settings
from shapely.geometry import MultiPoint, MultiPolygon, Point, Polygon

WORLD_ATLAS_COUNTRIES = settings.BASE_DIR / "static" / "vendor" / "world-atlas" / "countries-50m.json"
NORTH_KOREA_ISO_NUMERIC = "408"
# Equirectangular projection with longitudes shrunk by cos(40°N), the country's middle latitude: distances stay
# within a few percent of true over the country, which is all an approximate map needs.
LONGITUDE_FACTOR = math.cos(math.radians(40))
MAP_WIDTH = 600
MAP_MARGIN = 14
ISLAND_RADIUS = 5


@dataclass(frozen=True)
class LocatedCounty:
    county_id: int
    province_id: int
    latitude: Decimal
    longitude: Decimal


@dataclass(frozen=True)
class AreaShape:
    """One county's cell (or one province's union of cells) in SVG coordinates."""

    path: str
    area: float
    label_x: float
    label_y: float


@dataclass(frozen=True)
class MapGeometry:
    width: int
    height: int
    outline_path: str
    outline_area: float
    counties: dict[int, AreaShape]
    provinces: dict[int, AreaShape]
    province_borders_path: str


def _decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """TopoJSON arcs as (longitude, latitude) lists: quantized, delta-encoded positions undone."""
    scale_x, scale_y = topology["transform"]["scale"]
    translate_x, translate_y = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for delta_x, delta_y in arc:
            x += delta_x
            y += delta_y
            points.append((x * scale_x + translate_x, y * scale_y + translate_y))
        arcs.append(points)
    return arcs


def _ring(arcs: list, indexes: list[int]) -> list[tuple[float, float]]:
    """A ring from arc indexes; ~i is arc i reversed, and each arc repeats the previous arc's last point."""
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc if not points else arc[1:])
    return points


@functools.cache
def national_outline_degrees() -> MultiPolygon:
    """The DPRK's outline (longitude, latitude) from the vendored Natural Earth 1:50m countries."""
    topology = json.loads(WORLD_ATLAS_COUNTRIES.read_text())
    arcs = _decode_arcs(topology)
    country = next(
        geometry
        for geometry in topology["objects"]["countries"]["geometries"]
        if geometry.get("id") == NORTH_KOREA_ISO_NUMERIC
    )
    polygons = country["arcs"] if country["type"] == "MultiPolygon" else [country["arcs"]]
    shapes = [Polygon(_ring(arcs, rings[0]), [_ring(arcs, hole) for hole in rings[1:]]) for rings in polygons]
    return MultiPolygon([shape for shape in shapes if not shape.is_empty])


def _project(longitude: float, latitude: float) -> tuple[float, float]:
    return longitude * LONGITUDE_FACTOR, -latitude


def _svg_path(geometry) -> str:
    """An SVG path: one closed subpath per ring (holes drawn with the even-odd rule)."""
    parts = []
    for polygon in _polygons(geometry):
        for ring in (polygon.exterior, *polygon.interiors):
            coordinates = list(ring.coords)[:-1]
            if len(coordinates) < 3:
                continue
            parts.append("M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in coordinates) + "Z")
    return "".join(parts)


def _polygons(geometry) -> list[Polygon]:
    if geometry.is_empty:
        return []
    if isinstance(geometry, Polygon):
        return [geometry]
    if hasattr(geometry, "geoms"):
        return [polygon for part in geometry.geoms for polygon in _polygons(part)]
    return []


def _shape(geometry) -> AreaShape:
    label = geometry.representative_point() if not geometry.is_empty else Point(0, 0)
    return AreaShape(path=_svg_path(geometry), area=geometry.area, label_x=label.x, label_y=label.y)


def map_geometry(located: list[LocatedCounty]) -> MapGeometry:
    """County cells, province unions and borders, and the outline, scaled to an SVG `MAP_WIDTH` wide."""
    return _map_geometry(tuple(sorted(located, key=lambda county: county.county_id)))


@dataclass(frozen=True)
class CellGeometries:
    """The shapes behind the SVG (shapely geometries in SVG coordinates), for the geometry's tests."""

    height: int
    outline: object
    sites: dict[int, Point]
    cells: dict[int, object]


def cell_geometries(located: list[LocatedCounty]) -> CellGeometries:
    """Each located county's Voronoi cell clipped to the national outline, in SVG coordinates."""
    outline = shapely.transform(national_outline_degrees(), _project_array)
    min_x, min_y, max_x, max_y = outline.bounds
    scale = (MAP_WIDTH - 2 * MAP_MARGIN) / (max_x - min_x)
    height = round((max_y - min_y) * scale + 2 * MAP_MARGIN)

    def to_svg(geometry):
        return shapely.transform(geometry, lambda points: (points - [min_x, min_y]) * scale + MAP_MARGIN)

    outline_svg = to_svg(outline)
    sites = {
        county.county_id: to_svg(Point(_project(float(county.longitude), float(county.latitude)))) for county in located
    }
    cells: dict[int, object] = {}
    # Counties on one point (none in the reference data; a test keeps it so) would share one cell.
    points = sorted({(site.x, site.y) for site in sites.values()})
    if len(points) < 2:
        point_cells = {point: outline_svg.envelope.buffer(MAP_WIDTH) for point in points}
    else:
        voronoi = shapely.voronoi_polygons(
            MultiPoint(points), extend_to=outline_svg.envelope.buffer(MAP_WIDTH), ordered=True
        )
        point_cells = dict(zip(points, voronoi.geoms, strict=True))
    for county in located:
        site = sites[county.county_id]
        cell = point_cells[(site.x, site.y)]
        clipped = cell.intersection(outline_svg)
        if not outline_svg.contains(site):
            # An island county off the 1:50m coastline (Sindo): a small disc at its centroid, so it can be seen
            # and clicked.
            clipped = clipped.union(cell.intersection(site.buffer(ISLAND_RADIUS)))
        cells[county.county_id] = shapely.make_valid(clipped)
    return CellGeometries(height=height, outline=outline_svg, sites=sites, cells=cells)


@functools.lru_cache(maxsize=4)
def _map_geometry(located: tuple[LocatedCounty, ...]) -> MapGeometry:
    geometries = cell_geometries(list(located))
    outline_svg, cells, height = geometries.outline, geometries.cells, geometries.height
    provinces: dict[int, object] = {}
    for province_id in sorted({county.province_id for county in located}):
        members = [cells[county.county_id] for county in located if county.province_id == province_id]
        provinces[province_id] = shapely.union_all(members)
    # Borders between provinces: every province's boundary, drawn once as strokes over the cells.
    borders = shapely.union_all([shapely.boundary(province) for province in provinces.values()]) if provinces else None
    return MapGeometry(
        width=MAP_WIDTH,
        height=height,
        outline_path=_svg_path(outline_svg),
        outline_area=outline_svg.area,
        counties={county_id: _shape(cell) for county_id, cell in cells.items()},
        provinces={province_id: _shape(shape) for province_id, shape in provinces.items()},
        province_borders_path=_line_path(borders) if borders is not None else "",
    )


def _project_array(points):
    projected = points.copy()
    projected[:, 0] = points[:, 0] * LONGITUDE_FACTOR
    projected[:, 1] = -points[:, 1]
    return projected


def _line_path(geometry) -> str:
    lines = []
    if geometry.is_empty:
        return ""
    parts = geometry.geoms if hasattr(geometry, "geoms") else [geometry]
    for part in parts:
        coordinates = list(part.coords)
        if len(coordinates) >= 2:
            lines.append("M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in coordinates))
    return "".join(lines)
