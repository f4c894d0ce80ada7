import { publicClouds, type CloudName } from '../../shared/clouds'

export type PublicCloudName = Exclude<CloudName, 'Sandbox'>

export const publicCloudNames = Object.keys(publicClouds) as PublicCloudName[]

export function cloudDisplayName(cloud: CloudName): string {
  return cloud === 'Sandbox' ? 'Sandbox' : publicClouds[cloud].displayName
}
