"use client";

import { useEffect } from "react";
import { Button } from "@/components/ui/button";
import { MonitorIcon, MoonIcon, SunIcon } from "@/components/ui/icons";
import { useStoredValue } from "@/lib/use-stored-value";

type Theme = "system" | "light" | "dark";
const KEY = "theme";
const NEXT: Record<Theme, Theme> = { system: "light", light: "dark", dark: "system" };

function apply(theme: Theme) {
  const dark = theme === "dark" || (theme === "system" && matchMedia("(prefers-color-scheme: dark)").matches);
  document.documentElement.classList.toggle("dark", dark);
}

/** Light, dark or the system's choice; remembered in this browser (the layout applies it before paint). */
export function ThemeToggle() {
  const [stored, setStored] = useStoredValue(KEY);
  const theme: Theme = stored === "light" || stored === "dark" ? stored : "system";

  useEffect(() => {
    apply(theme);
    if (theme !== "system") return;
    const media = matchMedia("(prefers-color-scheme: dark)");
    const onChange = () => apply("system");
    media.addEventListener("change", onChange);
    return () => media.removeEventListener("change", onChange);
  }, [theme]);

  const set = () => {
    const next = NEXT[theme];
    apply(next);
    setStored(next === "system" ? null : next);
  };

  const Icon = theme === "dark" ? MoonIcon : theme === "light" ? SunIcon : MonitorIcon;
  const label = `Theme: ${theme}. Switch to ${NEXT[theme]}`;
  return (
    <Button variant="ghost" size="icon" onClick={set} aria-label={label} title={label}>
      <Icon className="h-4 w-4" />
    </Button>
  );
}
