// Static site: every page is prerendered, the app runs from plain files.
export const prerender = true;
export const ssr = false;
