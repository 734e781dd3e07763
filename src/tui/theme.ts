// The dashboard's colours in one place ("#rrggbb"), so that panels stay free of the renderer.

export const COLORS = {
  text: "#d0d0d0",
  dim: "#7a7a7a",
  title: "#8ab4f8",
  border: "#4a5568",
  borderActive: "#8ab4f8",
  track: "#3a3f47",
  good: "#6cc070",
  warn: "#e5c07b",
  bad: "#e06c75",
  accent: "#c792ea",
  rx: "#61afef",
  tx: "#e5a15b",
  header: "#1f2933",
  selection: "#2d3f5a",
  background: "#101418",
} as const;

/** Status of a host as colour and mark. */
export const STATUS_STYLE = {
  online: { mark: "●", color: COLORS.good },
  stale: { mark: "◐", color: COLORS.warn },
  offline: { mark: "○", color: COLORS.bad },
  unauthorized: { mark: "⊘", color: COLORS.bad },
  incompatible: { mark: "⊘", color: COLORS.warn },
} as const;
