/** The console's frame: a skip link, the navigation, and the routed page. */
import { LocationProvider, Route, Router, useLocation } from "preact-iso";
import { signOut } from "./api";
import { PageTitle } from "./components/common";
import { CreateJob } from "./pages/create-job";
import { Job } from "./pages/job";
import { Jobs } from "./pages/jobs";

const SECTIONS = [{ href: "/jobs", label: "Training jobs" }] as const;

function Nav() {
  const { path } = useLocation();
  return (
    <nav aria-label="Console">
      <a class="brand" href="/">
        Strata
      </a>
      <ul>
        {SECTIONS.map((s) => (
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
          <Route path="/" component={Jobs} />
          <Route path="/jobs" component={Jobs} />
          <Route path="/jobs/new" component={CreateJob} />
          <Route path="/jobs/:name" component={Job} />
          <Route default component={NotFound} />
        </Router>
      </main>
    </LocationProvider>
  );
}
