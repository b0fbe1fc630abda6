import { describeFeaturePlugins } from '../../../core/src/__tests__/featurePlugins';
import { CommandIDs, IDataBrowser } from '../tokens';

describe('data browser plugins', () => {
  describeFeaturePlugins({
    index: () => import('../index'),
    modules: {
      view: require.resolve('../view'),
      panel: require.resolve('../panel')
    },
    panelClass: 'DataBrowserPanel',
    ids: [
      '@cloudscapes/data-browser:plugin',
      '@cloudscapes/data-browser:commands',
      '@cloudscapes/data-browser:download-notifications'
    ],
    feature: 'data',
    view: IDataBrowser,
    rank: 460,
    commands: [CommandIDs.insertCode]
  });
});
