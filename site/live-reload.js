// Live reload for `herald serve --watch`, served by the dev server only and
// never published. Reloads the page after each successful rebuild; while
// the notes have errors, shows them over the page (built from text nodes
// only) and keeps the last good content underneath.

const source = new EventSource('/__herald/events');
let seenBuild = null;
let overlay = null;

function showErrors(messages) {
  overlay?.remove();
  // Errors first: they are what stops the build.
  const errors = [...messages].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  const count = errors.filter((error) => error.severity === 'error').length;
  overlay = document.createElement('section');
  overlay.className = 'herald-overlay';
  overlay.setAttribute('role', 'alert');
  overlay.setAttribute('aria-label', 'Build errors');
  const heading = document.createElement('h2');
  heading.textContent = `herald: the build failed with ${count} error${count === 1 ? '' : 's'}; showing the last good build`;
  const list = document.createElement('ol');
  for (const error of errors) {
    const item = document.createElement('li');
    const where = document.createElement('code');
    where.textContent = `${error.file}:${error.line}:${error.column}`;
    const rule = document.createElement('span');
    rule.className = `herald-overlay-${error.severity}`;
    rule.textContent = ` ${error.severity} ${error.ruleId} `;
    item.append(where, rule, error.message);
    if (error.hint) {
      const hint = document.createElement('p');
      hint.textContent = error.hint;
      item.append(hint);
    }
    list.append(item);
  }
  const close = document.createElement('button');
  close.type = 'button';
  close.textContent = 'Hide';
  close.addEventListener('click', () => overlay?.remove());
  overlay.append(heading, list, close);
  document.body.append(overlay);
}

source.addEventListener('state', (event) => {
  const state = JSON.parse(event.data);
  // A page the running build already put in place (an edited note's) has
  // that build's content: it reloads now, and not again when the build ends.
  const build = state.early && state.early.paths.includes(location.pathname) ? state.early.build : state.build;
  if (seenBuild !== null && build !== seenBuild && !state.errors) {
    location.reload();
    return;
  }
  seenBuild = build;
  if (state.errors) showErrors(state.errors);
  else {
    overlay?.remove();
    overlay = null;
  }
});
