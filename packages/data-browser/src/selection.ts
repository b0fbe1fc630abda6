/**
 * Multi-selection of an ordered list (granules, S3 objects): click toggles,
 * shift-click selects the range from the anchor, keyboard extends. Immutable
 * and pure, so it is unit-tested without a DOM.
 */

export interface ISelectionState {
  /**
   * Selected keys, in the order they were selected.
   */
  readonly selected: ReadonlySet<string>;
  /**
   * Where a shift-range starts (the last toggled key).
   */
  readonly anchor: string | null;
}

export const EMPTY_SELECTION: ISelectionState = {
  selected: new Set<string>(),
  anchor: null
};

/**
 * Toggle `key` and make it the anchor.
 */
export function toggleKey(
  state: ISelectionState,
  key: string
): ISelectionState {
  const selected = new Set(state.selected);
  if (selected.has(key)) {
    selected.delete(key);
  } else {
    selected.add(key);
  }
  return { selected, anchor: key };
}

/**
 * Select every key from the anchor to `key` (both included) in `order`,
 * keeping what was selected; without an anchor, `key` alone is toggled.
 * The anchor stays where it was, as in file managers.
 */
export function selectRange(
  state: ISelectionState,
  order: readonly string[],
  key: string
): ISelectionState {
  const to = order.indexOf(key);
  const from = state.anchor === null ? -1 : order.indexOf(state.anchor);
  if (to < 0) {
    return state;
  }
  if (from < 0) {
    return toggleKey(state, key);
  }
  const selected = new Set(state.selected);
  const [lo, hi] = from <= to ? [from, to] : [to, from];
  for (let i = lo; i <= hi; i++) {
    selected.add(order[i]);
  }
  return { selected, anchor: state.anchor };
}

/**
 * A click on `key`: shift selects the range, otherwise toggles.
 */
export function clickKey(
  state: ISelectionState,
  order: readonly string[],
  key: string,
  shift: boolean
): ISelectionState {
  return shift ? selectRange(state, order, key) : toggleKey(state, key);
}

/**
 * Select only `key` (used before a context menu on an unselected row).
 */
export function selectOnly(key: string): ISelectionState {
  return { selected: new Set([key]), anchor: key };
}

/**
 * Select every key of `order`.
 */
export function selectAll(order: readonly string[]): ISelectionState {
  return {
    selected: new Set(order),
    anchor: order.length > 0 ? order[0] : null
  };
}

/**
 * Keep only keys still in `order` (after the list was reloaded).
 */
export function retain(
  state: ISelectionState,
  order: readonly string[]
): ISelectionState {
  const present = new Set(order);
  const selected = new Set([...state.selected].filter(k => present.has(k)));
  const anchor =
    state.anchor !== null && present.has(state.anchor) ? state.anchor : null;
  return { selected, anchor };
}

/**
 * The selection of one list (the granules, the S3 objects), kept against
 * that list's current keys: each model holds one instead of repeating the
 * state updates. It says nothing when it changes; its model re-renders.
 */
export class ListSelection {
  /**
   * `keys` gives the list's keys in order at the time of each call.
   */
  constructor(keys: () => readonly string[]) {
    this._keys = keys;
  }

  get state(): ISelectionState {
    return this._state;
  }

  set state(value: ISelectionState) {
    this._state = value;
  }

  has(key: string): boolean {
    return this._state.selected.has(key);
  }

  /**
   * A click on `key`: shift selects the range, otherwise toggles.
   */
  click(key: string, shift: boolean): void {
    this._state = clickKey(this._state, this._keys(), key, shift);
  }

  /**
   * Extend the range to `key` (keyboard).
   */
  extend(key: string): void {
    this._state = selectRange(this._state, this._keys(), key);
  }

  /**
   * Select only `key` unless it is selected already (before a context menu).
   */
  focus(key: string): void {
    if (!this.has(key)) {
      this._state = selectOnly(key);
    }
  }

  selectAll(): void {
    this._state = selectAll(this._keys());
  }

  clear(): void {
    this._state = EMPTY_SELECTION;
  }

  /**
   * Keep only the keys the list still has (after it was reloaded).
   */
  retain(): void {
    this._state = retain(this._state, this._keys());
  }

  private _keys: () => readonly string[];
  private _state: ISelectionState = EMPTY_SELECTION;
}
