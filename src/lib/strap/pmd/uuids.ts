/**
 * Polar Measurement Data (PMD) service, after polarofficial/polar-ble-sdk (BlePMDClient.kt): the
 * control point takes commands and answers by indication; measurement frames come on the data
 * characteristic by notification.
 */
export const PMD_SERVICE = 'fb005c80-02e7-f387-1cad-8acd2d8df0c8';
export const PMD_CONTROL_POINT = 'fb005c81-02e7-f387-1cad-8acd2d8df0c8';
export const PMD_DATA = 'fb005c82-02e7-f387-1cad-8acd2d8df0c8';
