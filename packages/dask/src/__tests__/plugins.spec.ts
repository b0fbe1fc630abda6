import { describeFeaturePlugins } from '../../../core/src/__tests__/featurePlugins';
import { CommandIDs, IDaskClusters } from '../tokens';

describe('Dask plugins', () => {
  describeFeaturePlugins({
    index: () => import('../index'),
    modules: {
      view: require.resolve('../view'),
      panel: require.resolve('../panel')
    },
    panelClass: 'DaskPanel',
    ids: [
      '@cloudscapes/dask:plugin',
      '@cloudscapes/dask:commands',
      '@cloudscapes/dask:dashboards',
      '@cloudscapes/dask:notifications'
    ],
    feature: 'dask',
    view: IDaskClusters,
    rank: 470,
    commands: [CommandIDs.openDashboard, CommandIDs.newCluster]
  });
});
