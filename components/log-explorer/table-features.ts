import {
  columnOrderingFeature,
  columnSizingFeature,
  columnVisibilityFeature,
  tableFeatures,
} from "@tanstack/react-table";

/**
 * The table's v9 features, in one place. The server filters and orders the entries, so no client row
 * models are registered: only visibility, order and sizes of the columns, all driven by the URL.
 */
export const features = tableFeatures({
  columnVisibilityFeature,
  columnOrderingFeature,
  columnSizingFeature,
});

export type Features = typeof features;
