"use client";

import { createColumnHelper } from "@tanstack/react-table";
import { FIELDS, type AuditLog, type FieldId } from "@/lib/audit-log";
import { MAX_COLUMN_PX, MIN_COLUMN_PX } from "@/lib/column-widths";
import { CellValue } from "./cell-value";
import type { Features } from "./table-features";
import { TimeCell } from "./time-cell";

/** Default column widths in pixels (`widths` in the URL overrides them); the grid stretches them to fill the table. */
const SIZES: Partial<Record<FieldId, number>> = {
  time: 172,
  actionType: 104,
  actionResult: 104,
  actorEmail: 220,
  actorIp: 150,
  actorType: 128,
  resourceType: 190,
  resourceProduct: 140,
  resourceName: 200,
  failureReason: 260,
  actionDescription: 260,
  id: 290,
  uri: 280,
  userAgent: 240,
  method: 96,
  statusCode: 96,
};

const helper = createColumnHelper<Features, AuditLog>();

/** One column per field of the one field list; which are shown, and in what order, comes from the URL. */
export const columns = helper.columns(
  FIELDS.map((field) =>
    helper.accessor((row) => row[field.id] as string | number | null, {
      id: field.id,
      header: field.label,
      size: SIZES[field.id] ?? 170,
      minSize: MIN_COLUMN_PX,
      maxSize: MAX_COLUMN_PX,
      cell: ({ row }) =>
        field.id === "time" ? (
          <TimeCell row={row.original} />
        ) : (
          <CellValue field={field.id} row={row.original} />
        ),
    }),
  ),
);
