import { Fn, Validations } from 'aws-cdk-lib';
import { CfnEIP, NatProvider, SubnetType, Vpc } from 'aws-cdk-lib/aws-ec2';
import type { SubnetSelection } from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';

/** Props of {@link EgressNetwork}. */
export interface EgressNetworkProps {
  /** Availability Zones, each with a public subnet, a NAT gateway and its Elastic IP, and a private subnet. */
  readonly zones: number;
}

/**
 * A VPC whose private subnets reach the internet only through NAT gateways with Elastic IPs of the
 * stack's own, so that every delivery leaves from one of {@link elasticIps} and receivers can
 * allow-list them (docs/design.md §12).
 *
 * The zones are the stack's: for an environment-agnostic stack (what `cdk synth` builds offline,
 * with no account or region to look zones up in) CDK uses `Fn::GetAZs`, the first two zones of the
 * region the stack is deployed to, so at most 2. A stack with an explicit `env` uses the zones CDK
 * looked up (cached in `cdk.context.json`).
 */
export class EgressNetwork extends Construct {
  public readonly vpc: Vpc;
  /** The subnets the function runs in. */
  public readonly functionSubnets: SubnetSelection = { subnetType: SubnetType.PRIVATE_WITH_EGRESS };
  /** The public addresses deliveries leave from, as a comma-separated list (a token until deployed). */
  public readonly elasticIps: string;

  constructor(scope: Construct, id: string, props: EgressNetworkProps) {
    super(scope, id);
    const eips = Array.from({ length: props.zones }, (_, index) => new CfnEIP(this, `ElasticIp${index + 1}`, { domain: 'vpc' }));
    this.vpc = new Vpc(this, 'Vpc', {
      maxAzs: props.zones,
      natGateways: props.zones,
      natGatewayProvider: NatProvider.gateway({ eipAllocationIds: eips.map((eip) => eip.attrAllocationId) }),
      subnetConfiguration: [
        { name: 'Public', subnetType: SubnetType.PUBLIC, cidrMask: 26, mapPublicIpOnLaunch: false }, // only the NAT gateways live here, on their Elastic IPs
        { name: 'Function', subnetType: SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 },
      ],
      // Nothing uses the default security group; restricting it would add a custom-resource function.
      restrictDefaultSecurityGroup: false,
    });
    this.elasticIps = Fn.join(',', eips.map((eip) => eip.attrPublicIp));
    Validations.of(this.vpc).acknowledge({
      id: 'AwsSolutions-VPC7',
      reason: 'The VPC carries only the function\'s outbound calls, which the function logs one line per delivery attempt, so flow logs would add cost without adding a record.',
    });
  }
}
