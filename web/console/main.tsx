/** The console's entry: renders the app into the page the server sends for every console route. */
import { render } from "preact";
import { App } from "./app";
import "./styles.css";

render(<App />, document.getElementById("app")!);
