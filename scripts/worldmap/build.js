// Builds ../../themes/default/map/world.json: every country of Natural Earth
// 1:50m (via the world-atlas package) projected ONCE with d3.geoNaturalEarth1
// into a fixed viewBox, as SVG path strings with coordinates rounded to 0.1.
//
// Regenerate:  cd scripts/worldmap && npm ci && node build.js
//
// The output is deterministic for a given package-lock.json.

import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { geoNaturalEarth1, geoPath } from "d3-geo";
import { feature } from "topojson-client";

const here = dirname(fileURLToPath(import.meta.url));
const OUT = resolve(here, "../../themes/default/map/world.json");

// some packages do not export ./package.json: read it from node_modules
const pkgVersion = (name) =>
  JSON.parse(readFileSync(resolve(here, "node_modules", name, "package.json"), "utf8")).version;
const WORLD_ATLAS_VERSION = pkgVersion("world-atlas");
const D3_GEO_VERSION = pkgVersion("d3-geo");
const TOPOJSON_CLIENT_VERSION = pkgVersion("topojson-client");
const topology = JSON.parse(
  readFileSync(resolve(here, "node_modules/world-atlas/countries-50m.json"), "utf8"),
);

// ---- parameters -----------------------------------------------------------
const WIDTH = 1000; // viewBox width; the height follows from the data (below)
const PAD = 5; // blank margin, in viewBox units, around the land
const DROP = new Set(["010"]); // Antarctica: dropped (wastes space, no sites)
// ---------------------------------------------------------------------------

const all = feature(topology, topology.objects.countries).features;
const kept = all.filter((f) => !DROP.has(f.id ?? ""));
const dropped = all.filter((f) => DROP.has(f.id ?? ""));
const collection = { type: "FeatureCollection", features: kept };

// 1. Fit the width: scale so the kept land spans [PAD, WIDTH-PAD] horizontally.
const projection = geoNaturalEarth1().fitWidth(WIDTH - 2 * PAD, collection);
// 2. Derive the height from the land's projected bounds, then re-fit into the
//    exact integer box so that scale/translate are final and documented.
const [[bx0, by0], [bx1, by1]] = geoPath(projection).bounds(collection);
const HEIGHT = Math.ceil(((by1 - by0) / (bx1 - bx0)) * (WIDTH - 2 * PAD)) + 2 * PAD;
projection.fitExtent(
  [
    [PAD, PAD],
    [WIDTH - PAD, HEIGHT - PAD],
  ],
  collection,
);

const scale = projection.scale();
const translate = projection.translate();

// A path context that rounds every coordinate to one decimal and drops
// consecutive duplicate points (1:50m data has many points per 0.1 unit).
// Rings that collapse to fewer than 3 distinct points (islets smaller than
// ~0.2 unit) are dropped, unless the feature would then be empty (Vatican):
// its first ring is then drawn as a small square, see degenerate().
function fmt(v) {
  const r = Math.round(v * 10) / 10;
  const s = (Object.is(r, -0) ? 0 : r).toFixed(1);
  return s.endsWith(".0") ? s.slice(0, -2) : s;
}

class RoundingContext {
  constructor() {
    this.rings = [];
    this.cur = null;
  }
  moveTo(x, y) {
    this.flush();
    this.cur = [[fmt(x), fmt(y)]];
  }
  lineTo(x, y) {
    const p = [fmt(x), fmt(y)];
    const last = this.cur[this.cur.length - 1];
    if (last[0] !== p[0] || last[1] !== p[1]) this.cur.push(p);
  }
  closePath() {
    this.flush();
  }
  flush() {
    if (!this.cur) return;
    const r = this.cur;
    // drop a closing point equal to the first (Z closes it anyway)
    while (r.length > 1 && r[r.length - 1][0] === r[0][0] && r[r.length - 1][1] === r[0][1]) r.pop();
    this.rings.push(r);
    this.cur = null;
  }
  // (x,y) pairs joined with a space between numbers; '-' needs no separator
  static pts(r) {
    return r.map(([x, y]) => x + (y.startsWith("-") ? "" : ",") + y);
  }
  result() {
    this.flush();
    const big = this.rings.filter((r) => r.length >= 3);
    const use = big.length ? big : this.rings.slice(0, 1);
    return use
      .map((r) => {
        const p = RoundingContext.pts(r.length >= 3 ? r : degenerate(r));
        return "M" + p[0] + (p.length > 1 ? "L" + p.slice(1).join(" ") : "") + "Z";
      })
      .join("");
  }
}

// A ring too small to have 3 distinct points at 0.1 resolution: draw it as a
// 0.2 x 0.2 square around its first point so it stays visible and non-empty.
function degenerate(r) {
  const x = +r[0][0], y = +r[0][1];
  return [
    [fmt(x - 0.1), fmt(y - 0.1)],
    [fmt(x + 0.1), fmt(y - 0.1)],
    [fmt(x + 0.1), fmt(y + 0.1)],
    [fmt(x - 0.1), fmt(y + 0.1)],
  ];
}

const countries = kept.map((f) => {
  const ctx = new RoundingContext();
  geoPath(projection, ctx)(f);
  return {
    numeric: f.id ?? "",
    name: f.properties?.name ?? "",
    d: ctx.result(),
  };
});

countries.sort((a, b) =>
  a.numeric < b.numeric ? -1 : a.numeric > b.numeric ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
);

for (const must of ["470", "438", "442", "250"]) {
  const c = countries.find((c) => c.numeric === must);
  if (!c || !c.d) throw new Error(`country ${must} missing or empty`);
}
for (const c of countries) if (!c.d) throw new Error(`empty path for ${c.numeric} ${c.name}`);

const cities = [
  ["Paris", 2.3522, 48.8566],
  ["New York", -74.006, 40.7128],
  ["Casablanca", -7.5898, 33.5731],
  ["Montreal", -73.5673, 45.5017],
  ["Mumbai", 72.8777, 19.076],
  ["Sydney", 151.2093, -33.8688],
  ["Valletta", 14.5146, 35.8989],
  ["Null Island", 0, 0],
  ["Date line north", 180, 60],
  ["Date line south", -180, -45],
];
const test_points = cities.map(([name, lon, lat]) => {
  const [x, y] = projection([lon, lat]);
  return { name, lon, lat, x, y };
});

const out = {
  viewbox: [0, 0, WIDTH, HEIGHT],
  projection: {
    name: "NaturalEarth1",
    library: `d3-geo ${D3_GEO_VERSION} geoNaturalEarth1()`,
    scale,
    translate,
    center: [0, 0],
    rotate: [0, 0, 0],
    units: "lon/lat in degrees; converted to radians before the raw formula",
    formula:
      "l=lon*PI/180, p=lat*PI/180, p2=p*p, p4=p2*p2; " +
      "rx = l*(0.8707 - 0.131979*p2 + p4*(-0.013791 + p4*(0.003971*p2 - 0.001529*p4))); " +
      "ry = p*(1.007226 + p2*(0.015085 + p4*(-0.044475 + 0.028874*p2 - 0.005916*p4))); " +
      "x = translate[0] + scale*rx; y = translate[1] - scale*ry",
    clip: "antimeridian (d3 default), no rotation",
  },
  source: {
    data: "Natural Earth 1:50m admin-0 countries (public domain)",
    package: `world-atlas ${WORLD_ATLAS_VERSION} countries-50m.json (ISC)`,
    converter: `topojson-client ${TOPOJSON_CLIENT_VERSION}`,
    dropped: dropped.map((f) => `${f.id} ${f.properties?.name}`),
    rounding: "path coordinates rounded to 0.1 viewBox unit, consecutive duplicates removed",
    regenerate: "cd scripts/worldmap && npm ci && node build.js",
  },
  test_points,
  countries,
};

mkdirSync(dirname(OUT), { recursive: true });
// one country per line keeps diffs readable
const lines = JSON.stringify({ ...out, countries: [] }, null, 2).replace(
  /"countries": \[\]/,
  '"countries": [\n' + countries.map((c) => "    " + JSON.stringify(c)).join(",\n") + "\n  ]",
);
writeFileSync(OUT, lines + "\n");
const bytes = Buffer.byteLength(lines + "\n");
console.log(
  `wrote ${OUT}: ${countries.length} countries, viewBox 0 0 ${WIDTH} ${HEIGHT}, ` +
    `scale ${scale}, translate ${translate}, ${bytes} bytes`,
);
