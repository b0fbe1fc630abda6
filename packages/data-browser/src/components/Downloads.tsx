import type { TranslationBundle } from '@jupyterlab/translation';
import { closeIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

import {
  ErrorBanner,
  Job,
  LogView,
  ProgressBar,
  isJobFinished,
  jobFraction
} from '@cloudscapes/core';

import { formatBytes, formatCount, jobResultPath } from '../format';
import { DataBrowserModel } from '../model';
import { DataErrorView } from './DataErrorView';

/** Download rows shown at most (running ones first). */
const MAX_JOB_ROWS = 20;

function jobStatusText(job: Job, trans: TranslationBundle): string {
  switch (job.status) {
    case 'pending':
      return trans.__('Waiting');
    case 'running':
      return job.message || trans.__('Downloading');
    case 'succeeded': {
      const path = jobResultPath(job.result);
      return path ? trans.__('Saved to %1', path) : trans.__('Done');
    }
    case 'failed':
      return trans.__('Failed');
    case 'cancelled':
      return trans.__('Cancelled');
  }
  return job.status;
}

/**
 * One download: title, Cancel (or remove once ended), progress, status, its
 * error, and a "Log" disclosure with the lines the server logged (a line per
 * file saved). The log view is mounted, and its code fetched, only once the
 * user opens it.
 */
function DownloadRow(props: {
  job: Job;
  model: DataBrowserModel;
  trans: TranslationBundle;
}): JSX.Element {
  const { job, model, trans } = props;
  const [logOpen, setLogOpen] = React.useState(false);
  const finished = isJobFinished(job);
  const { done, total } = job.progress;
  const bytes = job.progress.unit === 'bytes';
  const valueText =
    total !== null
      ? bytes
        ? trans.__('%1 of %2', formatBytes(done), formatBytes(total))
        : trans.__('%1 of %2', formatCount(done), formatCount(total))
      : bytes
        ? formatBytes(done)
        : formatCount(done);
  const pollError = model.jobs.error(job.id);
  const logId = `cs-Downloads-log-${job.id}`;
  return (
    <li
      className={`cs-Downloads-job cs-mod-${job.status}`}
      data-job-id={job.id}
      data-status={job.status}
    >
      <div className="cs-Downloads-jobHead">
        <span className="cs-Downloads-jobTitle" title={job.title}>
          {job.title}
        </span>
        <button
          type="button"
          className="jp-Button jp-mod-minimal cs-Downloads-logToggle"
          aria-expanded={logOpen}
          aria-controls={logOpen ? logId : undefined}
          title={
            logOpen
              ? trans.__('Hide the log of %1', job.title)
              : trans.__('Show the log of %1', job.title)
          }
          onClick={() => setLogOpen(!logOpen)}
        >
          {trans.__('Log')}
        </button>
        {finished ? (
          <button
            type="button"
            className="jp-Button jp-mod-minimal cs-Downloads-dismiss"
            aria-label={trans.__('Remove %1 from the list', job.title)}
            title={trans.__('Remove from the list')}
            onClick={() => model.jobs.forget(job.id)}
          >
            <closeIcon.react tag="span" />
          </button>
        ) : (
          <button
            type="button"
            className="jp-Button jp-mod-styled jp-mod-warn cs-Downloads-cancel"
            aria-label={trans.__('Cancel %1', job.title)}
            onClick={() => void model.cancelJob(job.id)}
          >
            {trans.__('Cancel')}
          </button>
        )}
      </div>
      {finished && job.status !== 'succeeded' ? null : (
        <ProgressBar
          value={jobFraction(job)}
          label={trans.__('Progress of %1', job.title)}
          valueText={valueText}
        />
      )}
      <div className="cs-Downloads-jobStatus">
        {jobStatusText(job, trans)}
        {!finished && valueText ? ` · ${valueText}` : ''}
      </div>
      {job.status === 'failed' && job.error ? (
        <ErrorBanner
          message={job.error.error.message}
          hint={job.error.error.hint}
          code={job.error.error.code}
        />
      ) : null}
      {pollError && !finished ? (
        <DataErrorView error={pollError} trans={trans} />
      ) : null}
      {logOpen ? (
        <div id={logId} className="cs-Downloads-log">
          <LogView
            lines={model.jobs.logLines(job.id)}
            dropped={job.log?.dropped}
            label={trans.__('Log of %1', job.title)}
            trans={trans}
          />
        </div>
      ) : null}
    </li>
  );
}

export function Downloads(props: {
  model: DataBrowserModel;
  trans: TranslationBundle;
}): JSX.Element | null {
  const { model, trans } = props;
  const all = model.jobs.jobs;
  if (all.length === 0) {
    return null;
  }
  // running jobs first, then the most recent finished ones: the list stays short
  const running = all.filter(job => !isJobFinished(job));
  const finishedJobs = all.filter(job => isJobFinished(job));
  const jobs = [
    ...running,
    ...finishedJobs.slice(0, Math.max(0, MAX_JOB_ROWS - running.length))
  ].slice(0, MAX_JOB_ROWS);
  const hidden = all.length - jobs.length;
  return (
    <section className="cs-Downloads" aria-label={trans.__('Downloads')}>
      <h3 className="cs-DataBrowser-subtitle">{trans.__('Downloads')}</h3>
      {hidden > 0 && (
        <p className="cs-Downloads-more">
          {trans._n(
            '%1 older download is not shown.',
            '%1 older downloads are not shown.',
            hidden
          )}
        </p>
      )}
      <ul className="cs-Downloads-list">
        {jobs.map(job => (
          <DownloadRow key={job.id} job={job} model={model} trans={trans} />
        ))}
      </ul>
    </section>
  );
}
