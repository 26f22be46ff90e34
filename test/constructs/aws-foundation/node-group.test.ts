import { Testing } from 'cdktf';
import { ManagedNodeGroup, ManagedNodeGroupProps } from '../../../constructs/aws-foundation/node-group';

const resources = (json: any, type: string): any[] => Object.values(json.resource?.[type] ?? {});

const ng: ManagedNodeGroupProps = {
  name: 'general',
  instanceTypes: ['m6i.large'],
  minSize: 1,
  maxSize: 3,
  desiredSize: 2,
  clusterName: 'platform-test',
  namePrefix: 'platform-test',
  nodeRoleArn: 'arn:aws:iam::111122223333:role/node',
  subnetIds: ['subnet-a', 'subnet-b'],
};
function synthGroup(props: Partial<ManagedNodeGroupProps> = {}): any {
  return JSON.parse(Testing.synthScope((scope) => new ManagedNodeGroup(scope, 'ng', { ...ng, ...props })));
}

describe('ManagedNodeGroup', () => {
  test('defaults: IMDSv2 required with hop limit 1, 50 GiB encrypted gp3, AL2023, autoscaler owns desired size', () => {
    const json = synthGroup();
    const [lt] = resources(json, 'aws_launch_template');
    expect(lt.metadata_options).toEqual({ http_endpoint: 'enabled', http_tokens: 'required', http_put_response_hop_limit: 1, instance_metadata_tags: 'disabled' });
    expect(lt.block_device_mappings).toEqual([{ device_name: '/dev/xvda', ebs: { volume_size: 50, volume_type: 'gp3', encrypted: 'true', delete_on_termination: 'true' } }]);
    const [group] = resources(json, 'aws_eks_node_group');
    expect(group).toMatchObject({
      ami_type: 'AL2023_x86_64_STANDARD',
      capacity_type: 'ON_DEMAND',
      scaling_config: { min_size: 1, max_size: 3, desired_size: 2 },
      update_config: { max_unavailable: 1 },
      lifecycle: { ignore_changes: ['scaling_config[0].desired_size'] },
    });
    expect(group.launch_template.id).toMatch(/^\$\{aws_launch_template\./);
  });

  test('diskGiB and metadataHopLimit change the launch template', () => {
    const [lt] = resources(synthGroup({ diskGiB: 120, metadataHopLimit: 2 }), 'aws_launch_template');
    expect(lt.block_device_mappings[0].ebs.volume_size).toBe(120);
    expect(lt.metadata_options.http_put_response_hop_limit).toBe(2);
    expect(lt.metadata_options.http_tokens).toBe('required');
  });

  test('fails when maxSize < minSize', () => {
    expect(() => synthGroup({ minSize: 3, maxSize: 2, desiredSize: 3 })).toThrow("[stack/ng] 'maxSize' (2) must be >= minSize (3)");
  });

  test('fails when desiredSize is outside minSize..maxSize', () => {
    expect(() => synthGroup({ desiredSize: 4 })).toThrow("[stack/ng] 'desiredSize' (4) must be from minSize (1) to maxSize (3)");
  });

  test('fails on no instance type and on a malformed one', () => {
    expect(() => synthGroup({ instanceTypes: [] })).toThrow("[stack/ng] 'instanceTypes' ([]) must list at least one EC2 instance type");
    expect(() => synthGroup({ instanceTypes: ['large'] })).toThrow("[stack/ng] 'instanceTypes' ('large') must be an EC2 instance type such as 'm6i.large'");
  });

  test('fails on a hop limit that would hand node credentials to pods through two proxies', () => {
    expect(() => synthGroup({ metadataHopLimit: 3 })).toThrow("[stack/ng] 'metadataHopLimit' (3) must be an integer from 1 to 2");
  });
});
