import { forwardRef, type ButtonHTMLAttributes } from "react";
import { cn } from "./cn";

type Variant = "default" | "primary" | "ghost" | "outline-dashed";
type Size = "sm" | "md" | "icon" | "icon-sm";

const VARIANTS: Record<Variant, string> = {
  default: "border border-line bg-surface text-fg shadow-xs hover:bg-hover",
  primary: "border border-transparent bg-accent text-accent-fg hover:opacity-90",
  ghost: "border border-transparent text-muted hover:bg-hover hover:text-fg",
  "outline-dashed": "border border-dashed border-line-strong text-muted hover:bg-hover hover:text-fg",
};

const SIZES: Record<Size, string> = {
  sm: "h-7 gap-1.5 px-2 text-xs",
  md: "h-8 gap-2 px-3 text-sm",
  icon: "h-8 w-8 justify-center",
  "icon-sm": "h-6 w-6 justify-center",
};

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: Variant;
  size?: Size;
}

/** The one button style of the dashboard. */
export const Button = forwardRef<HTMLButtonElement, ButtonProps>(function Button(
  { variant = "default", size = "sm", className, type = "button", ...props },
  ref,
) {
  return (
    <button
      ref={ref}
      type={type}
      className={cn(
        "inline-flex shrink-0 items-center rounded-md font-medium whitespace-nowrap transition-colors select-none disabled:pointer-events-none disabled:opacity-50",
        VARIANTS[variant],
        SIZES[size],
        className,
      )}
      {...props}
    />
  );
});
