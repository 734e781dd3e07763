// Picks up config edits without a restart: a watch on the config file's folder (editors replace
// files rather than write them in place) and SIGHUP, debounced into one reload.
import { type FSWatcher, watch } from "node:fs";
import { basename, dirname } from "node:path";

const DEBOUNCE_MS = 200;

export function watchConfig(path: string, reload: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const schedule = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      reload();
    }, DEBOUNCE_MS);
  };
  const name = basename(path);
  let watcher: FSWatcher | null = null;
  try {
    watcher = watch(dirname(path), (_event, file) => {
      if (file === null || file === name) schedule();
    });
  } catch {
    // No inotify (some containers): SIGHUP still works.
  }
  process.on("SIGHUP", schedule);
  return () => {
    watcher?.close();
    process.off("SIGHUP", schedule);
    if (timer) clearTimeout(timer);
  };
}
