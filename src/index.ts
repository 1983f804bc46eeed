/** Autopack as a library: the Probot application factory and the pieces tests and embedders need. */
export { createAutopack, type Autopack, type AutopackSettings } from "./app/create-app.js";
