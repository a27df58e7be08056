// The wall is a live view: no server rendering, it connects to /ws/live from the browser.
export const ssr = false;
