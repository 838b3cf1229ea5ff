// A learner's progress, kept in the browser (localStorage): per lesson, per
// task, whether it is done and its score. Storage that is missing or refuses
// (a private window, a full quota) leaves progress in memory for the visit,
// and the page says so.

export interface TaskRecord {
  /** 1, or 0.5 when the answer was shown before the task was done. */
  score: number;
  /** When it was completed (ISO 8601). */
  at: string;
}

export type LessonProgress = Record<string, TaskRecord>;

const KEY = 'nn-course-progress-v1';
let memory: Record<string, LessonProgress> = {};

function readAll(): Record<string, LessonProgress> {
  try {
    const raw = localStorage.getItem(KEY);
    if (raw === null) return memory;
    const v: unknown = JSON.parse(raw);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, LessonProgress>) : {};
  } catch {
    return memory;
  }
}

/** False when the browser would not store it (progress lasts for this visit only). */
function writeAll(all: Record<string, LessonProgress>): boolean {
  memory = all;
  try {
    localStorage.setItem(KEY, JSON.stringify(all));
    return true;
  } catch {
    return false;
  }
}

/** The lesson's completed tasks (only well-formed records). */
export function lessonProgress(lessonKey: string): LessonProgress {
  const p = readAll()[lessonKey];
  const out: LessonProgress = {};
  if (typeof p !== 'object' || p === null) return out;
  for (const [task, r] of Object.entries(p)) {
    if (r && typeof r.score === 'number' && typeof r.at === 'string') out[task] = { score: r.score, at: r.at };
  }
  return out;
}

export function recordTask(lessonKey: string, taskId: string, record: TaskRecord): boolean {
  const all = readAll();
  all[lessonKey] = { ...lessonProgress(lessonKey), [taskId]: record };
  return writeAll(all);
}

export function resetLesson(lessonKey: string): boolean {
  const all = readAll();
  delete all[lessonKey];
  return writeAll(all);
}

export function resetAll(): boolean {
  return writeAll({});
}
