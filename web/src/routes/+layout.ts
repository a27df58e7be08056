// Every page is client-rendered: the wall is a live view, and the others ask the API who is signed in
// (the session cookie is HttpOnly), so there is nothing useful to render on the server.
export const ssr = false;
