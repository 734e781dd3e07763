// Prints the metric table of docs/HISTORY.md from the catalog in src/history/metrics.ts.
import { renderMetricReference } from "../src/history/reference.ts";

console.log(renderMetricReference());
