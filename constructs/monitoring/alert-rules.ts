import { Construct } from 'constructs';
import { PrometheusRule, PrometheusRuleSpecGroupsRulesExpr } from '../../imports/monitoring-prometheusrules-monitoring.coreos.com';
import { fail } from '../core/errors';
import { PROMETHEUS_SELECTOR_LABELS } from '../core/labels';
import { assertDnsLabel } from '../core/validate';

/** How urgently a human must act: `critical` pages, `warning` tickets, `info` only shows on dashboards. */
export type Severity = 'critical' | 'warning' | 'info';

/** One alerting rule, with what a responder needs to act on it. */
export interface AlertRule {
  /** Alert name, PascalCase (`RedisDown`). */
  readonly alert: string;
  /** PromQL expression; the alert fires for every series it returns. */
  readonly expr: string;
  /** How long the expression must hold before firing, a Prometheus duration (`5m`, `30s`). */
  readonly for: string;
  readonly severity: Severity;
  /** One line for the notification title; may use `{{ $labels.x }}`. */
  readonly summary: string;
  /** What is wrong and what it affects; may use `{{ $value }}`. */
  readonly description: string;
  /** Where the responder reads what to do. */
  readonly runbookUrl: string;
}

/** A named group of rules evaluated together. */
export interface AlertRuleGroup {
  /** Group name, unique within the PrometheusRule (`redis.rules`). */
  readonly name: string;
  readonly rules: readonly AlertRule[];
}

/** Properties of `AlertRules`. */
export interface AlertRulesProps {
  /** Name of the PrometheusRule object. */
  readonly name: string;
  readonly namespace: string;
  readonly groups: readonly AlertRuleGroup[];
  /**
   * Labels added to the object besides the selector label Prometheus picks rules up by.
   * @default none
   */
  readonly labels?: Record<string, string>;
}

const DURATION = /^(\d+(ms|s|m|h|d|w|y))+$/;
const ALERT_NAME = /^[A-Z][A-Za-z0-9]*$/;

/**
 * A PrometheusRule of alerting rules. Every rule carries `severity`, `summary`, `description` and `runbook_url`;
 * the object carries the label the monitoring stack selects rules by.
 */
export class AlertRules extends Construct {
  public readonly resource: PrometheusRule;
  public readonly groups: readonly AlertRuleGroup[];

  constructor(scope: Construct, id: string, props: AlertRulesProps) {
    super(scope, id);
    assertDnsLabel(this, 'name', props.name);
    const groupNames = new Set<string>();
    const alertNames = new Set<string>();
    for (const group of props.groups) {
      if (groupNames.has(group.name)) fail(this, 'groups[].name', group.name, 'must be unique');
      groupNames.add(group.name);
      if (group.rules.length === 0) fail(this, `groups.${group.name}.rules`, [], 'must hold at least one rule');
      for (const rule of group.rules) {
        const where = `groups.${group.name}.${rule.alert}`;
        if (!ALERT_NAME.test(rule.alert)) fail(this, `${where}.alert`, rule.alert, 'must be PascalCase letters and digits');
        if (alertNames.has(rule.alert)) fail(this, `${where}.alert`, rule.alert, 'must be unique in the PrometheusRule');
        alertNames.add(rule.alert);
        if (!DURATION.test(rule.for)) fail(this, `${where}.for`, rule.for, "must be a Prometheus duration such as '5m'");
        if (!/^https:\/\/\S+$/.test(rule.runbookUrl)) fail(this, `${where}.runbookUrl`, rule.runbookUrl, 'must be an https URL');
        if (rule.expr.trim() === '') fail(this, `${where}.expr`, rule.expr, 'must be a PromQL expression');
      }
    }
    this.groups = props.groups;

    this.resource = new PrometheusRule(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace, labels: { ...props.labels, ...PROMETHEUS_SELECTOR_LABELS } },
      spec: {
        groups: props.groups.map((group) => ({
          name: group.name,
          rules: group.rules.map((rule) => ({
            alert: rule.alert,
            expr: PrometheusRuleSpecGroupsRulesExpr.fromString(rule.expr),
            for: rule.for,
            labels: { severity: rule.severity },
            annotations: { summary: rule.summary, description: rule.description, runbook_url: rule.runbookUrl },
          })),
        })),
      },
    });
  }
}
