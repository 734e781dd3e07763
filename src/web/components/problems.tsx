/** @jsxImportSource preact */
// A host's problems as short labelled lines ("OFFLINE · last seen 3 min ago", "FULL / 93 %",
// "ALERT · hot cpu" with the alert's message as its tooltip).
import type { Problem } from "../../client/summary.ts";

export function Problems({ problems }: { problems: Problem[] }) {
  if (problems.length === 0) return null;
  return (
    <ul class="problems">
      {problems.map((p) => (
        <li key={`${p.label}/${p.detail}`} class={`problem ${p.level}`} title={p.title}>
          <strong>
            <span aria-hidden="true">{p.level === "bad" ? "▲ " : "△ "}</span>
            {p.label}
          </strong>{" "}
          · {p.detail}
        </li>
      ))}
    </ul>
  );
}
