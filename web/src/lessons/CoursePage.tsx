// The course's table of contents (?course=1): every lesson with the tasks
// done so far, and a way to start over.
import { useState } from 'preact/hooks';
import { COURSE } from './catalog';
import { lessonProgress, resetAll } from './progress';
import './lessons.css';

export function CoursePage({ theme }: { theme: 'light' | 'dark' | null }) {
  const [, setVersion] = useState(0);
  const suffix = theme ? `&theme=${theme}` : '';
  return (
    <main class="course-page" aria-labelledby="course-title">
      <h1 id="course-title">Neural networks from scratch: the course</h1>
      <p>Fifteen lessons, each one link: a lab with a few sentences and tasks that are checked as you work. Progress stays in this browser.</p>
      <ol class="course-list">
        {COURSE.map((l) => {
          const done = Object.keys(lessonProgress(l.id)).length;
          return (
            <li key={l.id}>
              <a href={`?lesson=${l.id}${suffix}`} data-testid={`course-${l.id}`}>{l.title}</a>
              {done > 0 && <span class="course-done"> · {done} task{done === 1 ? '' : 's'} done</span>}
            </li>
          );
        })}
      </ol>
      <p><button type="button" class="btn-text" onClick={() => { resetAll(); setVersion((v) => v + 1); }}>Reset all progress</button>
        {' '}<a href="./">Open the labs</a></p>
    </main>
  );
}
