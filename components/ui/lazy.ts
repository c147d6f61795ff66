"use client";

import { lazy, useEffect, useRef, useState, type ComponentType, type LazyExoticComponent } from "react";

export type Preloadable<P> = LazyExoticComponent<ComponentType<P>> & {
  /** Fetches the component's code now (once); rendering it later then waits for nothing. */
  preload: () => Promise<unknown>;
};

const idlePreloads = new Set<() => Promise<unknown>>();

/**
 * A component whose code is left out of the page's first bundle and fetched on first use. Its code is
 * also fetched ahead: when the browser is idle after the page has loaded (see {@link usePreloadWhenIdle}),
 * and by `preload()` when a trigger is hovered or focused, so that opening it stays instant.
 */
export function lazyWithPreload<P>(load: () => Promise<ComponentType<P>>): Preloadable<P> {
  let loading: Promise<{ default: ComponentType<P> }> | undefined;
  const preload = () =>
    (loading ??= load()
      .then((component) => ({ default: component }))
      .catch((error: unknown) => {
        // A failed download (a flaky network, a deploy in between) is tried again on the next use.
        loading = undefined;
        throw error;
      }));
  idlePreloads.add(() => preload().catch(() => undefined));
  return Object.assign(lazy(preload), { preload });
}

/** Trigger props that fetch a lazy component's code as soon as the pointer or focus reaches it. */
export function preloadOn(component: { preload: () => Promise<unknown> }) {
  const preload = () => void component.preload().catch(() => undefined);
  return { onPointerEnter: preload, onFocus: preload };
}

/**
 * Once the page has hydrated and the browser has nothing else to do, fetches the code of every lazy
 * component, one at a time (those in `first` before the others), so none of them waits for the network
 * when first opened.
 */
export function usePreloadWhenIdle(first: { preload: () => Promise<unknown> }[] = []) {
  const firstRef = useRef(first);
  useEffect(() => {
    let cancelled = false;
    let handle: number | undefined;
    const queue = [...firstRef.current.map((c) => () => c.preload().catch(() => undefined)), ...idlePreloads];
    // Safari has no requestIdleCallback: a short timeout after load serves the same purpose there.
    const idle = typeof window.requestIdleCallback === "function";
    const whenIdle = (run: () => void) =>
      idle ? window.requestIdleCallback(run, { timeout: 2_000 }) : window.setTimeout(run, 200);
    const next = () => {
      const preload = queue.shift();
      if (cancelled || !preload) return;
      void preload().then(() => {
        if (!cancelled) handle = whenIdle(next);
      });
    };
    handle = whenIdle(next);
    return () => {
      cancelled = true;
      if (handle === undefined) return;
      if (idle) window.cancelIdleCallback(handle);
      else window.clearTimeout(handle);
    };
  }, []);
}

/**
 * True from the first render in which `open` is true: a lazy panel is mounted when first opened and then
 * stays mounted, so that closing it runs its own close (and focus returns where it was).
 */
export function useOpenedOnce(open: boolean): boolean {
  const [opened, setOpened] = useState(open);
  if (open && !opened) setOpened(true);
  return opened || open;
}
