/** The console's frame: a skip link, the navigation, and the routed page. */
import { LocationProvider, Route, Router, useLocation } from "preact-iso";
import { sessionInfo, signOut } from "./api";
import { PageTitle } from "./components/common";
import { useLoad } from "./components/hooks";
import { CreateJob } from "./pages/create-job";
import { Endpoint, Endpoints } from "./pages/endpoints";
import { Job } from "./pages/job";
import { Jobs } from "./pages/jobs";
import { Model, Models } from "./pages/models";
import { NewRun } from "./pages/new-run";
import { Run } from "./pages/run";
import { Runs } from "./pages/runs";
import { CreateTransform, Transform, Transforms } from "./pages/transforms";
import { Workers } from "./pages/workers";

const SECTIONS = [
  { href: "/runs", label: "Segmentations" },
  { href: "/jobs", label: "Training jobs" },
  { href: "/models", label: "Models" },
  { href: "/endpoints", label: "Endpoints" },
  { href: "/transforms", label: "Transform jobs" },
] as const;

function Nav() {
  const { path } = useLocation();
  const session = useLoad(sessionInfo, "session");
  const sections = session.value?.cluster ? [...SECTIONS, { href: "/workers", label: "Workers" }] : SECTIONS;
  return (
    <nav aria-label="Console">
      <a class="brand" href="/">
        Strata
      </a>
      <ul>
        {sections.map((s) => (
          <li key={s.href}>
            <a
              href={s.href}
              aria-current={path === s.href || path.startsWith(`${s.href}/`) ? "page" : undefined}
            >
              {s.label}
            </a>
          </li>
        ))}
      </ul>
      <button type="button" class="link" onClick={() => void signOut()}>
        Sign out
      </button>
    </nav>
  );
}

function NotFound() {
  return (
    <>
      <PageTitle title="Not found" />
      <p>
        No console page here. <a href="/">Go to the start page</a>.
      </p>
    </>
  );
}

export function App() {
  return (
    <LocationProvider>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <Nav />
      <main id="main">
        <Router>
          <Route path="/" component={Runs} />
          <Route path="/runs" component={Runs} />
          <Route path="/runs/new" component={NewRun} />
          <Route path="/runs/:id" component={Run} />
          <Route path="/jobs" component={Jobs} />
          <Route path="/jobs/new" component={CreateJob} />
          <Route path="/jobs/:name" component={Job} />
          <Route path="/models" component={Models} />
          <Route path="/models/:name" component={Model} />
          <Route path="/endpoints" component={Endpoints} />
          <Route path="/endpoints/:name" component={Endpoint} />
          <Route path="/transforms" component={Transforms} />
          <Route path="/transforms/new" component={CreateTransform} />
          <Route path="/transforms/:name" component={Transform} />
          <Route path="/workers" component={Workers} />
          <Route default component={NotFound} />
        </Router>
      </main>
    </LocationProvider>
  );
}
