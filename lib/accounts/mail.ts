// Outgoing e-mail (password reset links) through SMTP_URL with nodemailer. Without SMTP_URL
// nothing is sent: an admin generates the link and passes it on.
import nodemailer, { type Transporter } from 'nodemailer';
import type { Config } from '../config';

const holder = globalThis as typeof globalThis & { __chatMailer?: { url: string; transporter: Transporter } };

function transporterFor(smtp: NonNullable<Config['smtp']>): Transporter {
  if (holder.__chatMailer?.url !== smtp.url) holder.__chatMailer = { url: smtp.url, transporter: nodemailer.createTransport(smtp.url) };
  return holder.__chatMailer.transporter;
}

export type Mail = { to: string; subject: string; text: string };

/** Sends when SMTP is configured; says whether it was. */
export async function sendMail(config: Pick<Config, 'smtp'>, mail: Mail): Promise<boolean> {
  if (!config.smtp) return false;
  await transporterFor(config.smtp).sendMail({ from: config.smtp.from, ...mail });
  return true;
}
