/**
 * The sandbox account keeps changing after its anchor: as the sandbox clock advances, entries appear
 * a few seconds apart. Each one is derived from (seed, its sequence number) alone, so two sandboxes
 * with the same seed and anchor show the same entries at the same instants, whenever they are asked.
 *
 * A live entry repeats an edit made before the anchor (same person, resource, zone and address) at a
 * new time: everyday work is mostly edits of things that exist, and no new resource has to be made
 * up. Entries are appended after the anchored ones, so indexes (hence ids and cursors) never move.
 */
import type { Dataset } from "./dataset";
import { hash3 } from "./prng";

/** Gap between two live entries: 3 to 12 s (about eight a minute), so a poll soon finds one. */
const MIN_GAP_S = 3;
const GAP_SPREAD_S = 10;
const FAILURE_PER_MILLE = 30;
const FAILURE_STATUSES = [500, 502, 503, 504];
/** Live entries repeat an edit among this many latest anchored entries. */
const REPLAY_WINDOW = 2_000;
const UPDATE = 1;

interface LiveState {
  view: Dataset;
  /** The last view cut short for a clock behind `view` (several handlers may share a base). */
  earlier: Dataset | null;
  /** Number of live entries so far; the next one is at `nextTime`. */
  count: number;
  nextTime: number;
}

const states = new WeakMap<Dataset, LiveState>();

/** Seconds from the anchor to live entry number `k` (0-based). */
function gapAfter(seed: number, k: number): number {
  return MIN_GAP_S + (hash3(seed, k, 907) % GAP_SPREAD_S);
}

/** An anchored edit to repeat for live entry `k`. */
function replayed(base: Dataset, k: number): number {
  const window = Math.min(base.size, REPLAY_WINDOW);
  let i = base.size - 1 - (hash3(base.seed, k, 911) % window);
  for (let step = 0; step < window && base.op[i] % 3 !== UPDATE; step++) i = i === 0 ? base.size - 1 : i - 1;
  return i;
}

function grow(view: Dataset, capacity: number): Dataset {
  const copy = <T extends Float64Array | Uint16Array | Uint32Array | Uint8Array>(a: T): T => {
    const next = new (a.constructor as new (n: number) => T)(capacity);
    next.set(a.subarray(0, view.size));
    return next;
  };
  return {
    ...view,
    time: copy(view.time),
    ident: copy(view.ident),
    op: copy(view.op),
    res: copy(view.res),
    zone: copy(view.zone),
    ip: copy(view.ip),
    status: copy(view.status),
  };
}

/** The entries up to `clockMs` of a state that may have run ahead of it. */
function viewAt(state: LiveState, clockMs: number): Dataset {
  const { view } = state;
  if (view.time[view.size - 1] <= clockMs) return view;
  let size = view.size;
  while (size > view.anchoredSize && view.time[size - 1] > clockMs) size--;
  if (state.earlier?.size !== size) state.earlier = { ...view, size };
  return state.earlier;
}

/**
 * The dataset as it stands at sandbox time `clockMs`: the anchored entries plus every live entry up to
 * that instant. The same object comes back while nothing new has appeared, so caches keyed on it hold.
 */
export function liveDataset(base: Dataset, clockMs: number): Dataset {
  if (base.size === 0) return base;
  let state = states.get(base);
  if (!state) {
    // Entries are logged in whole seconds.
    const anchorSec = Math.floor(base.now / 1000);
    state = { view: base, earlier: null, count: 0, nextTime: (anchorSec + gapAfter(base.seed, 0)) * 1000 };
    states.set(base, state);
  }
  if (clockMs < state.nextTime) return viewAt(state, clockMs);
  let view = state.view;
  let size = view.size;
  while (state.nextTime <= clockMs) {
    if (size === view.time.length)
      view = grow({ ...view, size }, Math.max(size + 1024, Math.ceil(size * 1.25)));
    const k = state.count;
    const from = replayed(base, k);
    const failed = hash3(base.seed, k, 919) % 1000 < FAILURE_PER_MILLE;
    view.time[size] = state.nextTime;
    view.ident[size] = base.ident[from];
    view.op[size] = base.op[from] - (base.op[from] % 3) + UPDATE;
    view.res[size] = base.res[from];
    view.zone[size] = base.zone[from];
    view.ip[size] = base.ip[from];
    view.status[size] = failed ? FAILURE_STATUSES[hash3(base.seed, k, 929) % FAILURE_STATUSES.length] : 200;
    size++;
    state.count++;
    state.nextTime += gapAfter(base.seed, state.count) * 1000;
  }
  state.view = { ...view, size };
  return state.view;
}
