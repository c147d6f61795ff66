import { forwardRef, type InputHTMLAttributes } from "react";
import { cn } from "./cn";

/** A text input in the dashboard's style; `aria-invalid` turns its border red. */
export const Input = forwardRef<HTMLInputElement, InputHTMLAttributes<HTMLInputElement>>(function Input(
  { className, ...props },
  ref,
) {
  return (
    <input
      ref={ref}
      className={cn(
        "h-8 w-full rounded-md border border-line bg-surface px-2.5 text-sm text-fg placeholder:text-faint",
        "focus-visible:border-accent focus-visible:ring-2 focus-visible:ring-ring/30 focus-visible:outline-none",
        "aria-invalid:border-danger aria-invalid:focus-visible:ring-danger/30",
        className,
      )}
      {...props}
    />
  );
});
