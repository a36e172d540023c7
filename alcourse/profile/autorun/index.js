// The trainee's JupyterLab runs an alcourse module notebook when it opens and after every
// kernel restart, so the exercises (widgets) appear without Run All (issue 15, item 7).
// JupyterLab has no setting for this: it is a plain-JavaScript plugin with no imports, built
// by JupyterLab's extension builder (Makefile). It runs only notebooks made by
// `alcourse build` (notebook metadata `alcourse.module`), and only where the page config
// (labconfig/page_config.json) sets "alcourseRunOnOpen": the trainee profile
// (alcourse/profile) does; a trainer's JupyterLab does not, so a trainer never runs a
// trainee's copy by opening it.

function enabled() {
  // JupyterLab's page config, as the page carries it (PageConfig.getOption reads the same)
  const data = document.getElementById('jupyter-config-data');
  try {
    return !!(data && JSON.parse(data.textContent).alcourseRunOnOpen === true);
  } catch (reason) {
    return false;
  }
}

function isModule(context) {
  const meta = context.model.getMetadata ? context.model.getMetadata('alcourse') : undefined;
  return !!(meta && meta.module);
}

function whenIdle(sessionContext) {
  // the first cells fail when sent before the kernel is connected and idle
  return new Promise(resolve => {
    const check = () => {
      const kernel = sessionContext.session && sessionContext.session.kernel;
      if (kernel && kernel.connectionStatus === 'connected' && kernel.status === 'idle') {
        sessionContext.statusChanged.disconnect(check);
        sessionContext.connectionStatusChanged.disconnect(check);
        resolve();
        return true;
      }
      return false;
    };
    if (!check()) {
      sessionContext.statusChanged.connect(check);
      sessionContext.connectionStatusChanged.connect(check);
    }
  });
}

function watch(app, panel, context) {
  const run = () => whenIdle(panel.sessionContext).then(() => {
    if (!panel.isDisposed) {
      // widgetId names this notebook, whichever tab is current; nothing is activated
      return app.commands.execute('notebook:run-all-cells', { widgetId: panel.id, activate: false });
    }
  });
  let restarting = false;
  const onStatus = (_, status) => {
    if (status === 'restarting' || status === 'autorestarting') {
      restarting = true;
    } else if (restarting && status === 'idle') {
      restarting = false;
      void run();
    }
  };
  Promise.all([context.ready, panel.sessionContext.ready]).then(() => {
    if (!isModule(context) || panel.isDisposed) {
      return;
    }
    panel.sessionContext.statusChanged.connect(onStatus);
    panel.disposed.connect(() => panel.sessionContext.statusChanged.disconnect(onStatus));
    return run();
  }).catch(reason => console.warn('alcourse: could not run the module on open', reason));
}

const plugin = {
  id: '@alcourse/autorun:plugin',
  description: 'Runs an alcourse module notebook when it opens and after a kernel restart.',
  autoStart: true,
  activate: app => {
    if (!enabled()) {
      return;
    }
    document.body.classList.add('alcourse-trainee');  // style/index.css
    app.docRegistry.addWidgetExtension('Notebook', {
      createNew: (panel, context) => watch(app, panel, context)
    });
  }
};

export default plugin;
